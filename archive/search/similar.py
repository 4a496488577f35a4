"""Nearest recordings by the analysis feature vector (cosine), among those the caller may see:
hidden neighbours are left out before ranking, so the caller still gets ``limit`` results."""
import numpy as np

from ..access import recordings_visible
from ..analysis import ANALYSER, VERSION
from ..models import Analysis


def similar_recordings(*, user, recording, limit: int = 10) -> list[tuple[str, float]]:
    source = Analysis.objects.filter(recording=recording, analyser=ANALYSER, version=VERSION, status="ok").first()
    if source is None or not source.features:
        return []
    rows = list(Analysis.objects.filter(analyser=ANALYSER, version=VERSION, status="ok",
                                        recording__in=recordings_visible(user=user).values("pk"))
                .exclude(recording=recording).exclude(features__isnull=True).values_list("recording_id", "features"))
    if not rows:
        return []
    matrix = np.asarray([f for _, f in rows], dtype=np.float32)
    query = np.asarray(source.features, dtype=np.float32)
    scores = matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query) + 1e-12)
    order = np.argsort(-scores)[:limit]
    return [(rows[i][0], round(float(scores[i]), 4)) for i in order]
