"""What the import tells a person: a Decision to look at, and what to do with a file it refuses."""

from __future__ import annotations

from dataclasses import dataclass

# What to do with a published plan the import cannot read.
RESAVE = ("copy the plan's table into Word or Excel and save it as .docx or .xlsx, "
          "then import that")


@dataclass(frozen=True)
class Decision:
    """Something a person must look at; never a silent guess."""

    where: str  # "table 1, row 5" (Word), "sheet 'Plan', row 12" (Excel), "row 12" (CSV)
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message
