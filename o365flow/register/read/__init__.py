"""Reading the register straight from the workbook's XML, without a spreadsheet object model.

``book`` opens the zip and gives sheets, cells, tables and hyperlinks as stored; ``snapshot``
turns the Cases and Sign-offs sheets into a ``RegisterSnapshot``. Both the reader and the quick
write path (``register.patch``) look at a workbook through ``book``.
"""
