"""Routing suggestions: text features, the calibrated classifier, model storage and training from ticket history."""
