//! A channel to the event thread that it checks with one load: a sender raises a flag after
//! queueing, and the event thread looks at the queue only when the flag is up. Polling a channel
//! costs about a dozen instructions, which the event thread would otherwise pay on every event,
//! and waiting a number of events instead would leave a reload pending while a slow pipe feeds
//! a replay.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, SendError, Sender, TrySendError};

/// A mailbox holding at most `cap` messages.
pub fn bounded<T>(cap: usize) -> (MailSender<T>, Mailbox<T>) {
    let (tx, rx) = crossbeam_channel::bounded(cap);
    pair(tx, rx)
}

/// A mailbox without a bound (for rare messages: reloads).
pub fn unbounded<T>() -> (MailSender<T>, Mailbox<T>) {
    let (tx, rx) = crossbeam_channel::unbounded();
    pair(tx, rx)
}

fn pair<T>(tx: Sender<T>, rx: Receiver<T>) -> (MailSender<T>, Mailbox<T>) {
    let flag = Arc::new(AtomicBool::new(false));
    (
        MailSender {
            tx,
            flag: flag.clone(),
        },
        Mailbox { rx, flag },
    )
}

pub struct MailSender<T> {
    tx: Sender<T>,
    flag: Arc<AtomicBool>,
}

impl<T> Clone for MailSender<T> {
    fn clone(&self) -> Self {
        MailSender {
            tx: self.tx.clone(),
            flag: self.flag.clone(),
        }
    }
}

impl<T> MailSender<T> {
    pub fn send(&self, v: T) -> Result<(), SendError<T>> {
        let r = self.tx.send(v);
        // Raised after the message is queued, so a reader that sees it finds the message.
        self.flag.store(true, Ordering::Release);
        r
    }

    pub fn try_send(&self, v: T) -> Result<(), TrySendError<T>> {
        let r = self.tx.try_send(v);
        if r.is_ok() {
            self.flag.store(true, Ordering::Release);
        }
        r
    }
}

pub struct Mailbox<T> {
    rx: Receiver<T>,
    flag: Arc<AtomicBool>,
}

impl<T> Mailbox<T> {
    /// True when a message may have arrived since the last [`take`](Self::take) began.
    #[inline]
    pub fn has_mail(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }

    /// The messages queued now (mail is rare: reloads, metrics snapshots). The flag is lowered
    /// first: a message queued while they are taken raises it again (at worst one look that finds
    /// nothing), none is left behind unnoticed.
    pub fn take(&self) -> Vec<T> {
        // Acquire: a sender's raise read here makes its queued message visible to the take.
        self.flag.swap(false, Ordering::Acquire);
        self.rx.try_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_rises_with_a_message_and_falls_when_it_is_taken() {
        let (tx, rx) = bounded(2);
        assert!(!rx.has_mail());
        tx.send(1).unwrap();
        assert!(rx.has_mail());
        assert_eq!(rx.take(), [1]);
        assert!(!rx.has_mail());
        // A full mailbox refuses without raising the flag.
        tx.try_send(2).unwrap();
        tx.try_send(3).unwrap();
        assert!(tx.try_send(4).is_err());
        assert_eq!(rx.take(), [2, 3]);
        assert!(!rx.has_mail());
    }

    #[test]
    fn messages_sent_from_another_thread_are_all_taken() {
        let (tx, rx) = unbounded();
        let sender = std::thread::spawn(move || {
            for i in 0..10_000 {
                tx.send(i).unwrap();
            }
        });
        let mut got = Vec::new();
        while got.len() < 10_000 {
            if rx.has_mail() {
                got.extend(rx.take());
            }
        }
        sender.join().unwrap();
        assert_eq!(got, (0..10_000).collect::<Vec<_>>());
    }
}
