//! The SQLite store's writer commits many jobs in one transaction; a job that fails must
//! roll back alone and leave the others in its batch committed.

use std::sync::Arc;

use health_binder_relay::store::{Flag, LogPage, NewShare, ShareId, ShareStore, SqliteStore};

const JWE: &str =
    "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXZpdml2aXZpdml2.Y2lwaGVydGV4dC1ieXRlcw.dGFndGFndGFndGFndGFn";
const NOW: i64 = 1_750_000_000;

/// The `n`th test id: 43 base64url characters, like the ids the relay hands out.
fn id(n: usize) -> ShareId {
    ShareId::parse(&format!("share{n:038}")).unwrap()
}

fn share(id: &ShareId) -> NewShare {
    NewShare {
        id: id.clone(),
        jwe: JWE.to_owned(),
        exp: NOW + 86_400,
        created_at: NOW,
        manage_hash: [7; 32],
        flag: Flag::U,
        content_type: "application/fhir+json".to_owned(),
        passcode_hash: None,
        passcode_attempts: None,
        max_uses: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_write_rolls_back_alone_and_its_neighbours_commit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.sqlite3");
    let store = Arc::new(SqliteStore::open(&db).unwrap());

    // 200 creates at once, 40 of them for ids another create also uses: the duplicates
    // fail on the primary key in whatever batch they land in.
    let ids: Vec<ShareId> = (0..160).map(id).chain((0..40).map(id)).collect();
    let creates = ids.iter().map(|id| {
        let (store, share) = (Arc::clone(&store), share(id));
        tokio::spawn(async move { store.create(share).await.is_ok() })
    });
    let created = futures_util::future::join_all(creates).await.into_iter().filter(|ok| *ok.as_ref().unwrap()).count();
    assert_eq!(created, 160, "each id is created exactly once");

    // Everything acknowledged is there, also through a store opened afresh, and each fetch
    // is logged once.
    drop(store);
    let store = SqliteStore::open(&db).unwrap();
    for n in 0..160 {
        let id = id(n);
        let file = store.fetch_for_recipient(&id, "check", NOW).await.unwrap();
        assert_eq!(file.map(|f| f.jwe).as_deref(), Some(JWE.as_bytes()), "{id}");
        let info = store.get_manage(&id, &[7; 32], LogPage { before: None, limit: 10 }).await.unwrap().unwrap();
        assert_eq!(info.access_log.len(), 1);
        assert_eq!(info.liveness.uses, 1);
    }
    assert_eq!(store.count_live(NOW).await.unwrap(), 160);
}
