"""A practice set as one zip a class takes away: audio stored as it is (it is compressed already),
text and scores deflated."""
import io
import zipfile

STORED = (".wav", ".ogg", ".pdf")


def zip_bundle(files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in files:
            bundle.writestr(name, data, compress_type=zipfile.ZIP_STORED if name.endswith(STORED) else zipfile.ZIP_DEFLATED)
    return out.getvalue()
