"""scrutiny-reporting: action plan monitoring and scrutiny committee reports."""
