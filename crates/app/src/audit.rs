//! The audit log's one way of naming who did something.

use store::{Actor, User};

/// The actor of an action by a signed-in user, the same in every product part:
/// `Name <email>` with the account id.
pub fn actor(user: &User) -> Actor {
    Actor {
        id: Some(user.id),
        label: format!("{} <{}>", user.name, user.email),
    }
}
