"""The app's screens: one thin script per page, plus small helpers they share."""
