"""Where a training job's progress stands, by stage: the trainer reports these fractions and the
study page names each stage in the reader's language (generation/web/views.py)."""
READING = 0.0      # the training set's notes are being read
BASELINES = 0.05   # simple models, the yardstick a trained model must beat
LEARNING = 0.15    # the neural model learns the melodies (up to CHOOSING)
CHOOSING = 0.95    # the model that predicts held-out melodies best is chosen
TIMBRE = 0.98      # the recordings' timbre is measured for the examples' sound

STAGES = (("reading", READING), ("baselines", BASELINES), ("learning", LEARNING), ("choosing", CHOOSING),
          ("timbre", TIMBRE))
