//! Export to http_file (being written).
