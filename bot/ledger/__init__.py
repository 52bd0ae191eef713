"""The claim ledger: the analysis of new items kept in the database, and its queries."""
