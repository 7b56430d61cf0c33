"""The board's quarterly Case Review Group report as a Word document (``o365flow report``):
``word`` lays the figures out in the board's template, ``charts`` draws them (matplotlib, loaded
only when a report is made)."""
