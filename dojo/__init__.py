"""The FlaskNotes Kata runner: the pytest plugin, the stub generator and the command line."""
