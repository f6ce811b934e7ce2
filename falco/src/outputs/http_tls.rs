//! TLS for http_output, configured by falco: the roots of ca_cert / ca_bundle / ca_path (Mozilla's
//! otherwise), `insecure`, and the mTLS client certificate. The certificate and key are paired as
//! OpenSSL pairs them (any X.509 version, see [`crate::http::tls`]): ureq's own TLS setup refuses
//! X.509 version 1 client certificates by panicking, so falco plugs its rustls configuration into
//! ureq's connector chain instead.

use std::fmt;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::SingleCertAndKey;
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore, StreamOwned};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
    TransportAdapter,
};

use super::OutputError;
use crate::config::HttpOutputConfig;
use crate::http::tls::{certified_key, provider, read_certs};

fn setup(why: String) -> OutputError {
    OutputError::Setup(format!("http_output: {why}"))
}

fn read_pem_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, OutputError> {
    read_certs(path).map_err(|e| setup(format!("{}: {e}", path.display())))
}

fn root_store(c: &HttpOutputConfig) -> Result<RootCertStore, OutputError> {
    // The same order of preference as Falco: ca_cert, then ca_bundle, then every file of ca_path.
    let mut store = RootCertStore::empty();
    for file in [&c.ca_cert, &c.ca_bundle] {
        if !file.is_empty() {
            let (added, _) = store.add_parsable_certificates(read_pem_certs(Path::new(file))?);
            if added == 0 {
                return Err(setup(format!("no usable certificate in {file}")));
            }
            return Ok(store);
        }
    }
    let dir = Path::new(&c.ca_path);
    if !c.ca_path.is_empty() && dir.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| setup(format!("cannot list {}: {e}", dir.display())))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        for p in entries {
            // A CA directory holds other files too; only readable PEM certificates count.
            if let Ok(certs) = read_certs(&p) {
                store.add_parsable_certificates(certs);
            }
        }
        if !store.is_empty() {
            return Ok(store);
        }
    }
    store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    Ok(store)
}

/// http_output.insecure: any server certificate is accepted.
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The rustls configuration of an https:// http_output.
pub fn client_config(c: &HttpOutputConfig) -> Result<Arc<ClientConfig>, OutputError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| setup(e.to_string()))?;
    let builder = if c.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerification(provider.clone())))
    } else {
        builder.with_root_certificates(root_store(c)?)
    };
    let config = if c.mtls {
        let key = certified_key(
            Path::new(&c.client_cert),
            Path::new(&c.client_key),
            &provider,
        )
        .map_err(|e| setup(format!("mtls: {e}")))?;
        builder.with_client_cert_resolver(Arc::new(SingleCertAndKey::from(key)))
    } else {
        builder.with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// The TLS step of the connector chain (after the proxy and TCP steps).
#[derive(Debug)]
pub struct TlsConnector {
    pub config: Option<Arc<ClientConfig>>,
}

impl<In: Transport> Connector<In> for TlsConnector {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        let config = match &self.config {
            Some(c) if details.needs_tls() && !transport.is_tls() => c.clone(),
            _ => return Ok(Some(Either::A(transport))),
        };
        let host = details.uri.host().unwrap_or_default();
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| ureq::Error::Tls("invalid server name"))?;
        let mut conn = ClientConnection::new(config, name)?;
        let mut sock = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        sock.set_timeout(details.timeout);
        conn.complete_io(&mut sock)?;
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(TlsTransport {
            buffers,
            stream: StreamOwned { conn, sock },
        })))
    }
}

/// An HTTPS connection.
pub struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsTransport").finish_non_exhaustive()
    }
}

impl Transport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let output = &self.buffers.output()[..amount];
        self.stream.write_all(output)?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}
