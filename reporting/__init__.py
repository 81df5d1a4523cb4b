"""scrutiny-reporting: action plan monitoring and scrutiny committee reports."""

from pathlib import Path

# The package's own source, and the templates the documents are rendered from.
CODE = Path(__file__).resolve().parent
TEMPLATES = CODE.parent / "templates"
