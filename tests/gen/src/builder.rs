//! Encodes events in the scap layout (26-byte header, u16 parameter lengths, data), with the
//! parameter lists sysdig 0.29.3 knows, so both sysdig and falco read the generated captures.

use std::net::Ipv4Addr;

use falco_engine::abi::EVENT_HEADER_LEN;

/// One event under construction; reused across events so generation does not allocate.
pub struct EventBuilder {
    buf: Vec<u8>,
    lens: Vec<u16>,
    data: Vec<u8>,
    ts: u64,
    tid: i64,
    etype: u16,
}

impl Default for EventBuilder {
    fn default() -> Self {
        EventBuilder {
            buf: Vec::with_capacity(4096),
            lens: Vec::with_capacity(32),
            data: Vec::with_capacity(4096),
            ts: 0,
            tid: 0,
            etype: 0,
        }
    }
}

impl EventBuilder {
    pub fn start(&mut self, ts: u64, tid: i64, etype: u16) -> &mut Self {
        self.lens.clear();
        self.data.clear();
        self.ts = ts;
        self.tid = tid;
        self.etype = etype;
        self
    }

    pub fn raw(&mut self, b: &[u8]) -> &mut Self {
        self.lens.push(b.len() as u16);
        self.data.extend_from_slice(b);
        self
    }

    pub fn i64(&mut self, v: i64) -> &mut Self {
        self.raw(&v.to_le_bytes())
    }

    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.raw(&v.to_le_bytes())
    }

    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.raw(&v.to_le_bytes())
    }

    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.raw(&v.to_le_bytes())
    }

    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.raw(&[v])
    }

    /// A NUL-terminated string.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.lens.push((s.len() + 1) as u16);
        self.data.extend_from_slice(s.as_bytes());
        self.data.push(0);
        self
    }

    /// A list of NUL-terminated strings in one parameter (args, env, cgroups).
    pub fn strs(&mut self, items: &[&str]) -> &mut Self {
        let mut n = 0;
        for s in items {
            self.data.extend_from_slice(s.as_bytes());
            self.data.push(0);
            n += s.len() + 1;
        }
        self.lens.push(n as u16);
        self
    }

    /// PT_SOCKADDR for AF_INET.
    pub fn sockaddr4(&mut self, ip: Ipv4Addr, port: u16) -> &mut Self {
        let mut b = [0u8; 7];
        b[0] = 2;
        b[1..5].copy_from_slice(&ip.octets());
        b[5..7].copy_from_slice(&port.to_le_bytes());
        self.raw(&b)
    }

    /// PT_SOCKTUPLE for AF_INET.
    pub fn tuple4(&mut self, sip: Ipv4Addr, sport: u16, dip: Ipv4Addr, dport: u16) -> &mut Self {
        let mut b = [0u8; 13];
        b[0] = 2;
        b[1..5].copy_from_slice(&sip.octets());
        b[5..7].copy_from_slice(&sport.to_le_bytes());
        b[7..11].copy_from_slice(&dip.octets());
        b[11..13].copy_from_slice(&dport.to_le_bytes());
        self.raw(&b)
    }

    /// The finished event bytes (valid until the next `start`).
    pub fn finish(&mut self) -> &[u8] {
        self.buf.clear();
        let len = EVENT_HEADER_LEN + self.lens.len() * 2 + self.data.len();
        self.buf.extend_from_slice(&self.ts.to_le_bytes());
        self.buf.extend_from_slice(&(self.tid as u64).to_le_bytes());
        self.buf.extend_from_slice(&(len as u32).to_le_bytes());
        self.buf.extend_from_slice(&self.etype.to_le_bytes());
        self.buf
            .extend_from_slice(&(self.lens.len() as u32).to_le_bytes());
        for l in &self.lens {
            self.buf.extend_from_slice(&l.to_le_bytes());
        }
        self.buf.extend_from_slice(&self.data);
        &self.buf
    }
}
