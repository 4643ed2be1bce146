package org.sluice.rtp.srtp;

import io.netty.util.concurrent.FastThreadLocal;

import org.sluice.rtp.ffm.ForeignCalls;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * OpenSSL's AES-GCM ({@code libcrypto.so.3}, Debian's {@code libssl3}) reached through the Foreign Function and
 * Memory API of JDK 22 and later, for {@link OpenSslGcmCipher}.
 *
 * <p>The handles come from {@link ForeignCalls} (the module compiles for Java 17): primitive types, every C pointer a
 * {@code long} address. The calls are linked as <em>critical</em> (no thread-state transition): each runs for at
 * most a few microseconds and never blocks or calls back. Native memory is a direct {@link ByteBuffer} per thread
 * ({@link #workspace()}, its address taken once at creation), so nothing here allocates per packet.
 *
 * <p>{@link #load()} gives the binding or the reason there is none: an older JDK, no libcrypto, a missing symbol,
 * or a failed known-answer check (RFC 7714 §16.1.1) run right after linking.
 */
final class OpenSslGcm {

    /** {@code EVP_CTRL_AEAD_GET_TAG} / {@code EVP_CTRL_AEAD_SET_TAG} (also the GCM-specific names). */
    static final int CTRL_GET_TAG = 0x10;
    static final int CTRL_SET_TAG = 0x11;
    /** The library names tried, in order. */
    private static final String[] LIBRARIES = {"libcrypto.so.3", "libcrypto.so", "libcrypto.3.dylib"};

    /** {@code EVP_CIPHER_CTX *EVP_CIPHER_CTX_new(void)} as {@code ()long}. */
    final MethodHandle ctxNew;
    /** {@code void EVP_CIPHER_CTX_free(EVP_CIPHER_CTX *)} as {@code (long)void}. */
    final MethodHandle ctxFree;
    /** {@code const EVP_CIPHER *EVP_aes_128_gcm(void)} / {@code EVP_aes_256_gcm} as {@code ()long}. */
    final MethodHandle aes128Gcm;
    final MethodHandle aes256Gcm;
    /** {@code int EVP_CipherInit_ex(ctx, cipher, engine, key, iv, enc)} as {@code (long, long, long, long, long, int)int}. */
    final MethodHandle cipherInit;
    /** {@code int EVP_CipherUpdate(ctx, out, int *outl, in, inl)} as {@code (long, long, long, long, int)int}. */
    final MethodHandle cipherUpdate;
    /** {@code int EVP_CipherFinal_ex(ctx, out, int *outl)} as {@code (long, long, long)int}. */
    final MethodHandle cipherFinal;
    /** {@code int EVP_CIPHER_CTX_ctrl(ctx, type, arg, ptr)} as {@code (long, int, int, long)int}. */
    final MethodHandle ctrl;
    /** The C library's {@code void *memmove(void *, const void *, size_t)} as {@code (long, long, long)long}. */
    final MethodHandle memmove;
    /** {@code const char *OpenSSL_version(int)} with type 0, the version text; as {@code (int)long}. */
    private final MethodHandle version;
    private final ForeignCalls ffm;
    private final String library;
    /** Each thread's native memory, shared by every cipher used on that thread. */
    private final FastThreadLocal<OpenSslWorkspace> workspaces = new FastThreadLocal<>() {
        @Override
        protected OpenSslWorkspace initialValue() {
            return new OpenSslWorkspace(OpenSslGcm.this);
        }
    };

    private OpenSslGcm(ForeignCalls ffm, ForeignCalls.Library b, String library) throws ReflectiveOperationException {
        this.ffm = ffm;
        this.library = library;
        this.ctxNew = b.critical("EVP_CIPHER_CTX_new", long.class);
        this.ctxFree = b.critical("EVP_CIPHER_CTX_free", void.class, long.class);
        this.aes128Gcm = b.critical("EVP_aes_128_gcm", long.class);
        this.aes256Gcm = b.critical("EVP_aes_256_gcm", long.class);
        this.cipherInit = b.critical("EVP_CipherInit_ex", int.class, long.class, long.class, long.class, long.class,
                long.class, int.class);
        this.cipherUpdate = b.critical("EVP_CipherUpdate", int.class, long.class, long.class, long.class, long.class,
                int.class);
        this.cipherFinal = b.critical("EVP_CipherFinal_ex", int.class, long.class, long.class, long.class);
        this.ctrl = b.critical("EVP_CIPHER_CTX_ctrl", int.class, long.class, int.class, int.class, long.class);
        this.version = b.critical("OpenSSL_version", long.class, int.class);
        this.memmove = ffm.libc("memmove", true, long.class, long.class, long.class, long.class);
    }

    /** The calling thread's workspace. */
    OpenSslWorkspace workspace() {
        return workspaces.get();
    }

    /** The native address of a direct buffer's first byte (once per buffer, never per packet). */
    long address(ByteBuffer direct) {
        return ffm.address(direct);
    }

    /** What the backend says about itself, e.g. {@code OpenSSL 3.0.17 1 Jul 2025 (libcrypto.so.3)}. */
    String describe() {
        try {
            long text = (long) version.invokeExact(0);
            return ffm.string(text, 256) + " (" + library + ")";
        } catch (Throwable e) {
            return "OpenSSL (" + library + ")";
        }
    }

    /** The binding, or why there is none. Never throws. */
    static Loaded load() {
        ForeignCalls.Available available = ForeignCalls.load();
        ForeignCalls ffm = available.calls();
        if (ffm == null) {
            return new Loaded(null, available.unavailable());
        }
        String missing = null;
        for (String name : LIBRARIES) {
            try {
                Optional<ForeignCalls.Library> opened = ffm.open(name);
                if (opened.isEmpty()) {
                    continue;
                }
                OpenSslGcm gcm = new OpenSslGcm(ffm, opened.get(), name);
                String failure = OpenSslGcmCipher.selfTest(gcm);
                return failure == null ? new Loaded(gcm, null)
                        : new Loaded(null, name + " failed the RFC 7714 known-answer check: " + failure);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                missing = name + ": " + cause;
            }
        }
        return new Loaded(null, missing != null ? missing : "no libcrypto found (tried libcrypto.so.3, libcrypto.so)");
    }

    /** The result of {@link #load()}: a binding, or null and the reason. */
    record Loaded(OpenSslGcm gcm, String unavailable) {
    }
}
