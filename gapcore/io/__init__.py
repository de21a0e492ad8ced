"""Reading files into a Study: readers (bytes → tables), columns and scales (what each column is),
the Data page's profile and mapping edits, and ``load_study``. Imports only the foundation modules."""
