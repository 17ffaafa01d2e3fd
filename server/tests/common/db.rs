//! The database a test relay runs on. SQLite (a file in the test's directory) unless
//! `HB_TEST_STORE=postgres`, as `scripts/test` sets for its second run of these tests: then every
//! relay gets a schema of its own on the PostgreSQL server `HB_TEST_DATABASE_URL` names, so tests
//! stay apart and a test can open a second store (a second instance) on the same data.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use health_binder_relay::rate_limit::SharedWindows;
use health_binder_relay::store::postgres::migrate;
use health_binder_relay::store::{PgStore, ShareStore, SqliteStore, StoreLimits};

pub const DATABASE_URL: &str = "HB_TEST_DATABASE_URL";
/// `postgres` runs every relay of the tests on PostgreSQL.
pub const STORE: &str = "HB_TEST_STORE";

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(PathBuf),
    /// A URL whose `options` put every connection in the test's own schema.
    Postgres(String),
}

/// Connections per test store: enough for the parallel tests, few enough for many stores.
const POOL_SIZE: usize = 8;

impl Db {
    /// SQLite in `dir`, or a fresh PostgreSQL schema when the test command asks for PostgreSQL.
    pub fn fresh(dir: &Path) -> Self {
        match std::env::var(STORE).as_deref() {
            Ok("postgres") => Self::fresh_postgres(&require_postgres()),
            Ok("sqlite") | Err(_) => Self::Sqlite(dir.join("relay.sqlite3")),
            Ok(other) => panic!("{STORE}={other:?}: expected \"postgres\" or \"sqlite\""),
        }
    }

    /// A new, empty schema on the server at `server` (a PostgreSQL URL).
    pub fn fresh_postgres(server: &str) -> Self {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).unwrap();
        let schema = format!("t_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        blocking_sql(server, &format!("CREATE SCHEMA {schema}"), &[]);
        let separator = if server.contains('?') { '&' } else { '?' };
        Self::Postgres(format!("{server}{separator}options=-c%20search_path%3D{schema}"))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    /// A store on this database, and with PostgreSQL the shared rate-limit windows. Opening a
    /// second one on the same database is a second relay instance.
    pub fn open(&self, limits: StoreLimits) -> (Arc<dyn ShareStore>, Option<Arc<dyn SharedWindows>>) {
        match self {
            Db::Sqlite(path) => (Arc::new(SqliteStore::open_with(path, limits).unwrap()), None),
            Db::Postgres(url) => {
                let config: tokio_postgres::Config = url.parse().unwrap();
                // Migrated on a runtime of its own: the tests' runtimes may be single-threaded.
                let migrating = config.clone();
                std::thread::spawn(move || runtime().block_on(migrate(&migrating)))
                    .join()
                    .unwrap()
                    .unwrap_or_else(|err| panic!("cannot migrate the test database: {err}"));
                let store = Arc::new(PgStore::with_pool(config, POOL_SIZE, limits).unwrap());
                (store.clone(), Some(store))
            }
        }
    }

    /// Runs a statement (parameters as text, written `$1`, `$2`, … for both databases);
    /// returns how many rows it changed.
    pub fn execute(&self, sql: &str, params: &[&str]) -> u64 {
        match self {
            Db::Sqlite(path) => rusqlite::Connection::open(path)
                .unwrap()
                .execute(sql, rusqlite::params_from_iter(params.iter()))
                .unwrap() as u64,
            Db::Postgres(url) => blocking_sql(url, sql, params).len() as u64,
        }
    }

    /// The first column of every row, as text (`NULL` as `None`); cast numbers in SQL.
    pub fn texts(&self, sql: &str, params: &[&str]) -> Vec<Option<String>> {
        match self {
            Db::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                let mut statement = conn.prepare(sql).unwrap();
                statement
                    .query_map(rusqlite::params_from_iter(params.iter()), |row| row.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            }
            Db::Postgres(url) => blocking_sql(url, sql, params),
        }
    }

    /// The environment that points the relay's binary at this database.
    pub fn binary_env(&self) -> Vec<(&'static str, String)> {
        match self {
            Db::Sqlite(path) => vec![("HB_DB", path.display().to_string())],
            Db::Postgres(url) => vec![("HB_DATABASE_URL", url.clone())],
        }
    }
}

/// The PostgreSQL server the test command started. Tests that need it fail without it, saying
/// how to start it: they are built only with the `postgres-tests` feature (or run with
/// `HB_TEST_STORE=postgres`), which the test command turns on after starting the server.
pub fn require_postgres() -> String {
    std::env::var(DATABASE_URL).ok().filter(|url| !url.is_empty()).unwrap_or_else(|| {
        panic!(
            "{DATABASE_URL} is not set: these tests need PostgreSQL. Run scripts/test, or \
             `source scripts/lib.sh && start_postgres` and run them in that shell"
        )
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// One statement on a connection of its own, on a thread of its own; the first column of each
/// row as text. Fails the test loudly if the server cannot be reached.
fn blocking_sql(url: &str, sql: &str, params: &[&str]) -> Vec<Option<String>> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    let params: Vec<String> = params.iter().map(|p| (*p).to_owned()).collect();
    std::thread::spawn(move || {
        runtime().block_on(async move {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|err| panic!("PostgreSQL at {DATABASE_URL} cannot be reached: {err}"));
            let driver = tokio::spawn(connection);
            let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                params.iter().map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync)).collect();
            let texts = if sql.trim_start().to_ascii_uppercase().starts_with("SELECT") {
                client.query(&sql, &params).await.unwrap().iter().map(|row| row.get::<_, Option<String>>(0)).collect()
            } else {
                let changed = client.execute(&sql, &params).await.unwrap();
                vec![None; changed as usize]
            };
            drop(client);
            let _ = driver.await;
            texts
        })
    })
    .join()
    .unwrap()
}
