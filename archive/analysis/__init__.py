"""Audio analysis on essentia: a file in, descriptors out. No Django here.

Everything is measured relative to the recording's own tonic, in cents: the
traditions in this archive are mostly not in 12-tone equal temperament.
"""
ANALYSER = "songkeeper-melodic"
VERSION = "1.1.0"  # 1.1: note boundaries at the contour's crossing and the voice's full level; range; confidence
