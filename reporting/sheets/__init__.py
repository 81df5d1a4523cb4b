"""Reading a spreadsheet or CSV file from outside safely: one bounded reader for every file.

Returns (`reporting.intake.returns`) and published plans (`reporting.plan.importing`) are
read through the same steps, each a module here:

- `bounds`: before anything parses a file, what it really is, its size, how far a workbook
  expands and how many rows and columns it holds; after, how long a cell may be;
- `delimited`: a CSV file's encoding, delimiter and rows;
- `workbooks`: a workbook's sheets through calamine (openpyxl where number formats matter);
- `headings`: column headings in people's own words, and the header row, looked for in the
  first HEADER_SEARCH_ROWS rows of every sheet.

What cannot be read is refused with an `Unreadable` saying what is wrong and what to do.
Nothing here imports the intake or the plan: both stand on it.
"""

from reporting.sheets.bounds import Unreadable, check_cells, identify
from reporting.sheets.delimited import csv_rows
from reporting.sheets.headings import HEADER_SEARCH_ROWS, Headings, find_header
from reporting.sheets.workbooks import Sheet, read_sheets, shown_sheets

__all__ = ["HEADER_SEARCH_ROWS", "Headings", "Sheet", "Unreadable", "check_cells", "csv_rows",
           "find_header", "identify", "read_sheets", "shown_sheets"]
