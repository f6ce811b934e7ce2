//! Signals, handled on a thread of their own: SIGINT/SIGTERM stop the pipeline (outputs are flushed
//! and statistics printed on the way out), SIGUSR1 reopens file and program outputs (directly, so
//! even a pipeline waiting for events reopens at once), SIGHUP reloads
//! the configuration and rules (built on this thread, then handed to the pipeline between events).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use crate::mailbox::MailSender;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGUSR1};
use signal_hook::iterator::{Handle, Signals};

use crate::logger;

/// What the signal thread asks of the pipeline.
pub enum Control {
    /// Switch to a newly loaded configuration and rules.
    Reload(Box<crate::reload::Reloaded>),
}

pub struct SignalThread {
    handle: Handle,
    thread: Option<JoinHandle<()>>,
}

impl SignalThread {
    /// `reload` builds the new configuration and rules; it runs on the signal thread.
    pub fn start(
        stop: Arc<AtomicBool>,
        stats: Arc<crate::stats::Stats>,
        control: MailSender<Control>,
        reload: impl Fn() -> Option<crate::reload::Reloaded> + Send + 'static,
    ) -> std::io::Result<SignalThread> {
        let mut signals = Signals::new([SIGHUP, SIGUSR1, SIGINT, SIGTERM])?;
        let handle = signals.handle();
        let thread = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                for sig in signals.forever() {
                    match sig {
                        SIGINT | SIGTERM => {
                            let name = if sig == SIGINT { "SIGINT" } else { "SIGTERM" };
                            logger::info(&format!("{name} received, exiting..."));
                            stop.store(true, Ordering::SeqCst);
                        }
                        SIGUSR1 => {
                            stats.outputs.reopen_all();
                            logger::info("SIGUSR1 received, reopening outputs...");
                        }
                        SIGHUP => {
                            logger::info("SIGHUP received, reloading configuration and rules...");
                            if let Some(r) = reload() {
                                let _ = control.send(Control::Reload(Box::new(r)));
                                logger::info(
                                    "Configuration and rules loaded; switching to them at the next event",
                                );
                            }
                        }
                        _ => {}
                    }
                }
            })?;
        Ok(SignalThread {
            handle,
            thread: Some(thread),
        })
    }
}

impl Drop for SignalThread {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
