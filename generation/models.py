"""Style models, training runs and study examples (built in the style-model issue)."""
