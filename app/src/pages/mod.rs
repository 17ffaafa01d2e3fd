mod binder;
mod create;
mod unlock;
mod viewer;

pub use binder::BinderPage;
pub use create::CreatePage;
pub use unlock::UnlockPage;
pub use viewer::ViewerPage;
