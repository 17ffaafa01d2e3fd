//! The large binder as a share, for the viewer benchmark (`scripts/bench-viewer`): prints one JSON
//! line, `{"jwe", "key", "bytes"}` — the encrypted IPS document of the large binder with every
//! section, as the app would upload it (compressed when it would not fit uncompressed), and the
//! link's key. `BENCH_BINDER=small` prints a one-medication binder's share instead (the reference).

use chrono::{DateTime, Duration, Utc};
use health_binder_core::ips;
use health_binder_core::model::{Binder, Medication};
use health_binder_core::share::{self, Hosted, ShareOptions};

fn main() {
    // The clock from the system (chrono's `clock` feature is off in this crate for the wasm build).
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    let now: DateTime<Utc> = DateTime::from_timestamp(since_epoch.as_secs() as i64, 0).expect("a valid time");
    let binder = if std::env::var("BENCH_BINDER").as_deref() == Ok("small") {
        let mut b = Binder::new("Ada Small", now);
        let med = Medication { name: "Metformin".into(), strength: "500 mg".into(), ..Medication::default() };
        b.add_medication(med, now).expect("a valid medication");
        b
    } else {
        health_binder_bench::large_binder()
    };
    let options = ShareOptions {
        sections: ips::SECTIONS.to_vec(),
        expires_at: now + Duration::hours(1),
        label: None,
        label_in_link: false,
        passcode: None,
        max_uses: None,
        manifest: false,
        trends: Vec::new(),
    };
    let prepared = share::prepare(&binder, now, options);
    let jwe = prepared.jwe.clone();
    let hosted =
        Hosted { relay_id: String::new(), url: String::new(), management_secret: String::new(), viewer: String::new() };
    let record = prepared.into_record(hosted, now);
    println!("{}", serde_json::json!({ "jwe": jwe, "key": record.key, "bytes": jwe.len() }));
}
