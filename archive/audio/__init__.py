"""Pure audio file handling for ingest and preservation (no Django): identify and
check a file by decoding it, read its technical metadata, derive an access copy and
waveform peaks. Analysis of musical content lives in archive/analysis."""
