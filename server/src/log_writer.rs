//! Logs written to stderr by a background thread, so a request never waits for the terminal
//! or the journal: under load one `write` covers many lines instead of one `write` each.
//!
//! This is for the diagnostic log only. The access log the owner of a share sees is in the
//! database and is durable before the response; these lines may be lost if the process is
//! killed, which is why [`FlushGuard`] exists for every normal way out of `main`.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// Lines waiting for the thread; a full queue makes the logging thread wait (nothing is
/// dropped).
const QUEUE_LINES: usize = 16_384;
/// How long lines may wait before they are written (a `Flush` may wait this long too).
const GATHER: Duration = Duration::from_millis(20);

enum Message {
    Line(Vec<u8>),
    Flush(SyncSender<()>),
}

/// A [`MakeWriter`] for `tracing_subscriber::fmt` that hands each formatted event to the
/// writer thread.
#[derive(Clone)]
pub struct BackgroundStderr {
    queue: SyncSender<Message>,
}

/// Flushes what is queued when dropped (at the end of `main`).
pub struct FlushGuard {
    queue: SyncSender<Message>,
}

/// Starts the writer thread. If it cannot start, the caller logs to stderr directly.
pub fn spawn() -> io::Result<(BackgroundStderr, FlushGuard)> {
    let (queue, lines) = sync_channel(QUEUE_LINES);
    std::thread::Builder::new().name("log-writer".to_owned()).spawn(move || write_lines(&lines))?;
    Ok((BackgroundStderr { queue: queue.clone() }, FlushGuard { queue }))
}

fn write_lines(lines: &Receiver<Message>) {
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stderr());
    while let Ok(message) = lines.recv() {
        let mut next = Some(message);
        // Everything already queued goes out in one write.
        while let Some(message) = next {
            match message {
                Message::Line(line) => {
                    let _ = out.write_all(&line);
                }
                Message::Flush(done) => {
                    let _ = out.flush();
                    let _ = done.send(());
                }
            }
            next = lines.try_recv().ok();
        }
        let _ = out.flush();
        // Let lines gather: while this thread sleeps, loggers only enqueue and need not
        // wake it, which under load costs more than the writing itself.
        std::thread::sleep(GATHER);
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        let (done, flushed) = sync_channel(1);
        if self.queue.send(Message::Flush(done)).is_ok() {
            // Bounded: a stuck stderr must not keep the process from exiting.
            let _ = flushed.recv_timeout(Duration::from_secs(2));
        }
    }
}

impl Write for BackgroundStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.queue.send(Message::Line(buf.to_vec())).map_err(|_| io::Error::other("the log writer has stopped"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for BackgroundStderr {
    type Writer = BackgroundStderr;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
