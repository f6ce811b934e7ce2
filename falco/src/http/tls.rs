//! TLS material: PEM certificate chains and keys, paired the way OpenSSL pairs them. rustls checks
//! a key against its certificate by parsing the certificate with webpki, which refuses X.509
//! version 1; OpenSSL (Falco's TLS library) accepts such certificates, so falco compares the keys
//! itself and hands rustls the pair unparsed.

use std::path::Path;
use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::{CertifiedKey, SingleCertAndKey};

use super::HttpError;

/// The TLS provider falco uses everywhere (ring).
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The certificates of a PEM file, in order.
pub fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    CertificateDer::pem_file_iter(path)
        .map_err(|e| e.to_string())?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())
}

/// The certificate chain of `cert_pem` with the private key of `key_pem` (the same file is fine),
/// after checking that the key belongs to the first certificate.
pub fn certified_key(
    cert_pem: &Path,
    key_pem: &Path,
    provider: &CryptoProvider,
) -> Result<CertifiedKey, String> {
    let chain = read_certs(cert_pem)?;
    let Some(first) = chain.first() else {
        return Err(format!("no certificate in {}", cert_pem.display()));
    };
    let key = PrivateKeyDer::from_pem_file(key_pem)
        .map_err(|e| format!("no private key in {}: {e}", key_pem.display()))?;
    let key = provider
        .key_provider
        .load_private_key(key)
        .map_err(|e| format!("private key of {}: {e}", key_pem.display()))?;
    let cert_spki = subject_public_key_info(first.as_ref())
        .ok_or_else(|| format!("{}: not an X.509 certificate", cert_pem.display()))?;
    match key.public_key() {
        Some(k) if k.as_ref() != cert_spki => Err(format!(
            "the private key of {} does not belong to the certificate of {}",
            key_pem.display(),
            cert_pem.display()
        )),
        _ => Ok(CertifiedKey::new(chain, key)),
    }
}

/// The server side of the webserver's TLS: `pem` holds the key and the certificate chain, as
/// Falco's `webserver.ssl_certificate` does.
pub(super) fn acceptor(pem: &Path) -> Result<tokio_rustls::TlsAcceptor, HttpError> {
    let err = |message: String| HttpError::Tls {
        path: pem.display().to_string(),
        message,
    };
    let provider = provider();
    let key = certified_key(pem, pem, &provider).map_err(err)?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| err(e.to_string()))?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(SingleCertAndKey::from(key)));
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// One DER element: (tag, contents, the rest after it).
fn der_element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, b| (a << 8) | *b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The SubjectPublicKeyInfo (DER, with its header) of an X.509 certificate of any version.
fn subject_public_key_info(cert: &[u8]) -> Option<&[u8]> {
    const SEQUENCE: u8 = 0x30;
    const VERSION: u8 = 0xa0;
    let (SEQUENCE, cert, _) = der_element(cert)? else {
        return None;
    };
    let (SEQUENCE, mut tbs, _) = der_element(cert)? else {
        return None;
    };
    if tbs.first() == Some(&VERSION) {
        tbs = der_element(tbs)?.2;
    }
    // serialNumber, signature, issuer, validity, subject.
    for _ in 0..5 {
        tbs = der_element(tbs)?.2;
    }
    let (tag, _, after) = der_element(tbs)?;
    (tag == SEQUENCE).then(|| &tbs[..tbs.len() - after.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_in_short_and_long_form() {
        assert_eq!(
            der_element(&[0x30, 2, 1, 2, 9]),
            Some((0x30, &[1u8, 2][..], &[9u8][..]))
        );
        let mut long = vec![0x04, 0x81, 200];
        long.extend(std::iter::repeat_n(7u8, 200));
        let (tag, body, rest) = der_element(&long).unwrap();
        assert_eq!((tag, body.len(), rest.len()), (4, 200, 0));
        // Truncated, or a length that does not fit.
        assert_eq!(der_element(&[0x30, 5, 1]), None);
        assert_eq!(der_element(&[0x30, 0x85, 1, 1, 1, 1, 1]), None);
        assert_eq!(subject_public_key_info(&[0x30, 0]), None);
        assert_eq!(subject_public_key_info(b"not der"), None);
    }
}
