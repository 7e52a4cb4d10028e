//! Export to postman (being written).
