"""The catalogue: communities, traditions, recordings and what communities say about them."""
from .access import AccessRequest, Label, LabelRule, Protocol, ProtocolLevel, ShareLink, ShareLinkUse
from .analysis import Analysis
from .catalogue import Collection, Instrument, Language, Person, Place, Tradition
from .community import Community, Membership
from .contributions import Annotation, Narrative, Proposal
from .events import PreservationEvent
from .files import FileCopy, RecordingFile
from .harvest import HarvestCandidate, HarvestSource
from .hub import HubProject
from .recording import Recording, RecordingLabel, RecordingPerson
from .scores import Score
from .search import SearchDocument, SearchRow
from .transcriptions import Transcription
from .uploads import IngestBatch, Upload
from .versions import CatalogueVersion

__all__ = [
    "AccessRequest", "Analysis", "Annotation", "CatalogueVersion", "Collection", "Community", "FileCopy",
    "HarvestCandidate", "HarvestSource", "HubProject", "IngestBatch",
    "Instrument",
    "Label", "LabelRule",
    "Language", "Membership", "Narrative", "Person", "Place", "PreservationEvent", "Proposal",
    "Protocol", "ProtocolLevel", "Recording", "RecordingFile", "RecordingLabel", "RecordingPerson", "Score", "Transcription",
    "SearchDocument", "SearchRow", "ShareLink", "ShareLinkUse", "Tradition", "Upload",
]
