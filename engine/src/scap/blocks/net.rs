//! Interface-list blocks (IL V1/V2): the machine's network addresses.

use std::net::IpAddr;

use super::{Cursor, Entries, MAX_PATH, ipv4, ipv6};
use crate::scap::block_type;
use crate::scap::error::ScapError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub addr: IpAddr,
    pub netmask: IpAddr,
    pub bcast: IpAddr,
    pub linkspeed: u64,
}

const II_IPV4: u16 = 1;
const II_IPV6: u16 = 2;
const II_IPV4_NOLINKSPEED: u16 = 3;
const II_IPV6_NOLINKSPEED: u16 = 4;

impl Interface {
    /// The entries of an interface-list block body of type `btype`, decoded as they are iterated.
    pub fn entries(c: Cursor<'_>, btype: u32) -> Entries<'_, Interface> {
        Entries::new(c, btype, Self::parse_next)
    }

    fn parse_next(c: &mut Cursor<'_>, btype: u32) -> Result<Interface, ScapError> {
        let v2 = btype == block_type::IL_V2;
        {
            let at = c.offset();
            let entry_len = if v2 {
                Some(c.u32("IL entry length")? as usize)
            } else {
                None
            };
            let start = c.pos();
            let ty = c.u16("IL type")?;
            let namelen = c.u16("IL name length")? as usize;
            if namelen >= MAX_PATH {
                return Err(ScapError::corrupt(
                    at,
                    format!("interface name length {namelen}"),
                ));
            }
            let (v6, speed) = match ty {
                II_IPV4 => (false, true),
                II_IPV6 => (true, true),
                II_IPV4_NOLINKSPEED => (false, false),
                II_IPV6_NOLINKSPEED => (true, false),
                _ => {
                    return Err(ScapError::corrupt(
                        at,
                        format!("unknown interface type {ty}"),
                    ));
                }
            };
            let alen = if v6 { 16 } else { 4 };
            let addr = |b: &[u8]| -> IpAddr {
                if v6 {
                    IpAddr::V6(ipv6(b))
                } else {
                    IpAddr::V4(ipv4(b))
                }
            };
            let a = addr(c.bytes(alen, "IL addr")?);
            let m = addr(c.bytes(alen, "IL netmask")?);
            let b = addr(c.bytes(alen, "IL bcast")?);
            let linkspeed = if speed { c.u64("IL linkspeed")? } else { 0 };
            let name = String::from_utf8_lossy(crate::scap::trim_nul(c.bytes(namelen, "IL name")?))
                .into_owned();
            if let Some(len) = entry_len {
                let read = c.pos() - start;
                if read > len {
                    return Err(ScapError::corrupt(
                        at,
                        "interface entry longer than its length",
                    ));
                }
                c.skip(len - read, "IL entry tail")?;
            }
            Ok(Interface {
                name,
                addr: a,
                netmask: m,
                bcast: b,
                linkspeed,
            })
        }
    }

    pub fn encode_v2(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&0u32.to_le_bytes());
        let v6 = self.addr.is_ipv6();
        out.extend_from_slice(&(if v6 { II_IPV6 } else { II_IPV4 }).to_le_bytes());
        let name = &self.name.as_bytes()[..self.name.len().min(MAX_PATH - 1)];
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        for a in [self.addr, self.netmask, self.bcast] {
            match a {
                IpAddr::V4(a) => out.extend_from_slice(&a.octets()),
                IpAddr::V6(a) => out.extend_from_slice(&a.octets()),
            }
        }
        out.extend_from_slice(&self.linkspeed.to_le_bytes());
        out.extend_from_slice(name);
        // The entry length excludes itself.
        let len = (out.len() - start - 4) as u32;
        out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    }
}
