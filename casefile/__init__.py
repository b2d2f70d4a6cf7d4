"""The case file: the pydantic case model and its validation (field errors in Chinese with paths
and lines, date-order rules from ``casefile/data/date_order.yaml``)."""
