//! Export to curl (being written).
