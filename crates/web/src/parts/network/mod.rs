//! The learning network in the web layer (issue 30): the library of practices at
//! `/leernetwerk` (search and filters) and `/leernetwerk/{id}`, and an organisation's own
//! practices with the share form and withdrawal at `/organisaties/{id}/leernetwerk`. API
//! twins: `/api/v1/practices`, `/api/v1/practices/{id}` and
//! `/api/v1/organisations/{id}/practices`.
//!
//! Every rule (who sees what, consent, the regio-lezer's view without names or effects) is
//! in `app::practices`; effects are computed there from the organisation's data.

pub mod api;
pub mod pages;
