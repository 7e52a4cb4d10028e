//! Postman environment and globals files (`-e`, `-g`) read and written as
//! newman reads and exports them.
