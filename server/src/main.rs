use std::future::IntoFuture as _;
use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser as _;
use health_binder_relay::clock::system_clock;
use health_binder_relay::config::Config;
use health_binder_relay::error::ErrorChain;
use health_binder_relay::rate_limit::SharedWindows;
use health_binder_relay::static_files::Dist;
use health_binder_relay::store::{PgStore, ShareStore, SqliteStore};
use health_binder_relay::{AppState, Limits, app, log_writer, purge, viewer_app};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Logs go to stderr: stdout carries only the start-up line that scripts wait for. A
    // background thread writes them, so requests do not wait for stderr (one line each).
    let (writer, flush) = match log_writer::spawn() {
        Ok((writer, guard)) => (BoxMakeWriter::new(writer), Some(guard)),
        Err(_) => (BoxMakeWriter::new(std::io::stderr), None),
    };
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal())
        .init();

    let code = match run(Config::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("health-binder-relay: {err}");
            std::process::ExitCode::FAILURE
        }
    };
    drop(flush);
    code
}

async fn run(config: Config) -> Result<(), String> {
    config.check()?;
    let limits = Limits::from(&config);
    let (store, shared_windows): (Arc<dyn ShareStore>, Option<Arc<dyn SharedWindows>>) = match &config.database_url {
        Some(url) => {
            let pool_size = config.database_pool_size as usize;
            let store = PgStore::connect(url, pool_size, limits.store)
                .await
                .map_err(|err| format!("cannot open the PostgreSQL database: {}", ErrorChain(&err)))?;
            let store = Arc::new(store);
            (store.clone(), Some(store))
        }
        None => {
            let store = SqliteStore::open_with(&config.db, limits.store)
                .map_err(|err| format!("cannot open database {}: {}", config.db.display(), ErrorChain(&err)))?;
            (Arc::new(store), None)
        }
    };
    let clock = system_clock();
    let state = AppState::new(store.clone(), clock.clone(), limits, Dist::load(&config.dist));
    // Several instances on one database enforce one set of per-client limits.
    let state = match shared_windows {
        Some(windows) => state.with_shared_rate_limits(windows),
        None => state,
    };
    let state = state
        .with_public_url(config.public_url.clone())
        .with_trust_forwarded_for(config.trust_forwarded_for)
        .with_viewer_connect_src(&config.viewer_connect_src)
        .with_trusted_proxy_hops(config.trusted_proxy_hops)
        .with_app_origins(config.effective_app_origins())
        .with_app_connect_src(&config.app_connect_src);

    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .map_err(|err| format!("cannot listen on {}: {err}", config.addr))?;
    let addr = listener.local_addr().map_err(|err| format!("cannot read the bound address: {err}"))?;
    let viewer_addr = config.effective_viewer_addr()?;
    let viewer_listener = tokio::net::TcpListener::bind(&viewer_addr)
        .await
        .map_err(|err| format!("cannot listen on {viewer_addr} for the viewer: {err}"))?;
    let viewer = viewer_listener.local_addr().map_err(|err| format!("cannot read the bound address: {err}"))?;
    let state = state.with_origins(addr.port(), viewer.port(), config.viewer_public_url.clone());
    // Scripts read the first line for the relay's address; the viewer's follows.
    let mut stdout = std::io::stdout();
    writeln!(stdout, "Health Binder relay listening on http://{addr}/")
        .and_then(|()| writeln!(stdout, "Health Binder viewer listening on http://{viewer}/"))
        .and_then(|()| stdout.flush())
        .map_err(|err| format!("cannot write to stdout: {err}"))?;

    let purger = purge::spawn(
        store,
        clock,
        Duration::from_secs(config.purge_interval_secs),
        limits.personal_data_retention_secs,
    );
    // The peer address keys the rate limits.
    let served = axum::serve(listener, app(state.clone()).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal());
    let viewer_served =
        axum::serve(viewer_listener, viewer_app(state).into_make_service()).with_graceful_shutdown(shutdown_signal());
    let (served, viewer_served) = tokio::join!(served.into_future(), viewer_served.into_future());
    purger.abort();
    served.map_err(|err| format!("server failed: {err}"))?;
    viewer_served.map_err(|err| format!("viewer server failed: {err}"))?;
    tracing::info!("shut down");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
