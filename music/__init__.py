"""Reading and writing music, shared by the archive's analysis and the style models: scores read
into notes with exact pitch (scores.py), exact pitches named and written (pitch.py), as MIDI with a
bend before each note (midi.py) and as MusicXML with a decimal alter (musicxml.py). Pure: no Django."""
