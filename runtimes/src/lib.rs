//! Container metadata from the container runtimes, as Falco's container plugin gets it: docker and
//! podman (HTTP over their unix sockets), containerd and the Kubernetes CRI (gRPC). falco asks about
//! each new container id it sees in a cgroup, asynchronously; the answers become `container`
//! events (see falco's source/containers.rs).

pub mod config;
pub mod containerd;
pub mod cri;
pub mod docker;
pub mod error;
mod grpc;
mod http;
mod labels;
pub mod proto;
pub mod resolver;

pub use config::{Endpoint, EngineConfig, EngineKind, EnginesConfig};
pub use error::RuntimeError;
pub use resolver::{Answer, Counters, Level, LogFn, Resolver};
