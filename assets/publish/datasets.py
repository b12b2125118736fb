"""Published column types: one Arrow type per logical type (the dataset names and keys are in
assets/core/contracts.py)."""


def with_explicit_types(table):
    """Published schemas use one Arrow type per logical type, whichever engine produced the table:
    polars writes large_string / large_list, DuckDB string / list; consumers see string / list."""
    import pyarrow as pa

    def explicit(data_type):
        if pa.types.is_large_string(data_type):
            return pa.string()
        if pa.types.is_large_list(data_type) or pa.types.is_list(data_type):
            return pa.list_(explicit(data_type.value_type))
        return data_type

    schema = pa.schema([field.with_type(explicit(field.type)) for field in table.schema])
    return table.cast(schema)
