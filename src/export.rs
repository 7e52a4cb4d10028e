//! Taking requests out again: curl for one request, Postman Collection
//! v2.1 for a collection or folder, `.http` for a collection.

pub mod curl;
pub mod http_file;
pub mod postman;
