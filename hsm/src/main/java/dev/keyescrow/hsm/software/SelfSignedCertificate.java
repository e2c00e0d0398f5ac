package dev.keyescrow.hsm.software;

import dev.keyescrow.core.error.BugException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A minimal self-signed certificate for an EC key pair. BCFKS stores a private key only
 * with a certificate chain; the certificate carries no trust here (the public keys are
 * pinned by fingerprint), it only satisfies the keystore format.
 */
final class SelfSignedCertificate {
    private SelfSignedCertificate() {
    }

    static X509Certificate of(KeyPair pair, String name) {
        try {
            AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            X500Name subject = new X500Name("CN=" + name);
            V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
            tbs.setSerialNumber(new org.bouncycastle.asn1.ASN1Integer(BigInteger.ONE));
            tbs.setSignature(algorithm);
            tbs.setIssuer(subject);
            tbs.setSubject(subject);
            tbs.setStartDate(new Time(new Date(0L)));
            tbs.setEndDate(new Time(new Date(253402300799000L)));
            tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
            TBSCertificate body = tbs.generateTBSCertificate();
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(body.getEncoded());
            ASN1EncodableVector certificate = new ASN1EncodableVector();
            certificate.add(body);
            certificate.add(algorithm);
            certificate.add(new DERBitString(signer.sign()));
            byte[] der = new DERSequence(certificate).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | IOException e) {
            throw new BugException("cannot build a self-signed certificate", e);
        }
    }
}
