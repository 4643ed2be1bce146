package org.sluice.rtp.srtp;

import io.netty.util.concurrent.FastThreadLocal;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * OpenSSL's AES-GCM ({@code libcrypto.so.3}, Debian's {@code libssl3}) reached through the Foreign Function and
 * Memory API of JDK 22 and later, for {@link OpenSslGcmCipher}.
 *
 * <p>The module compiles for Java 17, where that API does not exist, so the handles are built once through
 * reflection. Every C pointer is passed as a {@code long} address, which keeps each handle's type primitive
 * ({@code (long, long, ...)int}): the call sites are ordinary {@code invokeExact} calls that compile on 17 and that
 * the JIT inlines on 22+. The calls are linked as <em>critical</em> (no thread-state transition): each runs for at
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
    /** The first Java release whose FFM API is final. */
    private static final int FFM_RELEASE = 22;

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
    private final Method segmentOfBuffer;
    private final Method segmentAddress;
    private final Method segmentReinterpret;
    private final Method segmentGetString;
    private final String library;
    /** Each thread's native memory, shared by every cipher used on that thread. */
    private final FastThreadLocal<OpenSslWorkspace> workspaces = new FastThreadLocal<>() {
        @Override
        protected OpenSslWorkspace initialValue() {
            return new OpenSslWorkspace(OpenSslGcm.this);
        }
    };

    private OpenSslGcm(Bootstrap b, String library) throws ReflectiveOperationException {
        this.library = library;
        this.ctxNew = b.handle("EVP_CIPHER_CTX_new", long.class);
        this.ctxFree = b.handle("EVP_CIPHER_CTX_free", void.class, long.class);
        this.aes128Gcm = b.handle("EVP_aes_128_gcm", long.class);
        this.aes256Gcm = b.handle("EVP_aes_256_gcm", long.class);
        this.cipherInit = b.handle("EVP_CipherInit_ex", int.class, long.class, long.class, long.class, long.class,
                long.class, int.class);
        this.cipherUpdate = b.handle("EVP_CipherUpdate", int.class, long.class, long.class, long.class, long.class,
                int.class);
        this.cipherFinal = b.handle("EVP_CipherFinal_ex", int.class, long.class, long.class, long.class);
        this.ctrl = b.handle("EVP_CIPHER_CTX_ctrl", int.class, long.class, int.class, int.class, long.class);
        this.version = b.handle("OpenSSL_version", long.class, int.class);
        this.memmove = b.libcHandle("memmove", long.class, long.class, long.class, long.class);
        Class<?> segment = b.segment;
        this.segmentOfBuffer = segment.getMethod("ofBuffer", java.nio.Buffer.class);
        this.segmentAddress = segment.getMethod("address");
        this.segmentReinterpret = segment.getMethod("reinterpret", long.class);
        this.segmentGetString = segment.getMethod("getString", long.class);
    }

    /** The calling thread's workspace. */
    OpenSslWorkspace workspace() {
        return workspaces.get();
    }

    /** The native address of a direct buffer's first byte (once per buffer, never per packet). */
    long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        try {
            return (long) segmentAddress.invoke(segmentOfBuffer.invoke(null, direct));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no address for a direct buffer", e);
        }
    }

    /** What the backend says about itself, e.g. {@code OpenSSL 3.0.17 1 Jul 2025 (libcrypto.so.3)}. */
    String describe() {
        try {
            long text = (long) version.invokeExact(0);
            Object segment = segmentReinterpret.invoke(segmentOfAddress(text), 256L);
            return segmentGetString.invoke(segment, 0L) + " (" + library + ")";
        } catch (Throwable e) {
            return "OpenSSL (" + library + ")";
        }
    }

    private Object segmentOfAddress(long address) throws ReflectiveOperationException {
        return segmentOfBuffer.getDeclaringClass().getMethod("ofAddress", long.class).invoke(null, address);
    }

    /** The binding, or why there is none. Never throws. */
    static Loaded load() {
        if (Runtime.version().feature() < FFM_RELEASE) {
            return new Loaded(null, "Java " + Runtime.version().feature() + " has no final FFM API (22 or later)");
        }
        Bootstrap bootstrap;
        try {
            bootstrap = new Bootstrap();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new Loaded(null, "the FFM API is not usable: " + e);
        }
        String missing = null;
        for (String name : LIBRARIES) {
            try {
                if (!bootstrap.open(name)) {
                    continue;
                }
                OpenSslGcm gcm = new OpenSslGcm(bootstrap, name);
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

    /** The reflective steps to FFM downcall handles; used once, at {@link #load()}. */
    private static final class Bootstrap {

        private final Class<?> segment;
        private final Object linker;
        private final Object global;
        private final Class<?> arena;
        private final Class<?> lookupClass;
        private final Method downcall;
        private final Method defaultLookup;
        private final Method descriptorOf;
        private final Method descriptorOfVoid;
        private final Object criticalOption;
        private final Class<?> optionClass;
        private final Class<?> layout;
        private final Object javaLong;
        private final Object javaInt;
        private Object lookup;

        Bootstrap() throws ReflectiveOperationException {
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
            Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
            this.layout = Class.forName("java.lang.foreign.MemoryLayout");
            this.segment = Class.forName("java.lang.foreign.MemorySegment");
            this.arena = Class.forName("java.lang.foreign.Arena");
            this.lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
            this.linker = linkerClass.getMethod("nativeLinker").invoke(null);
            this.global = arena.getMethod("global").invoke(null);
            this.downcall = linkerClass.getMethod("downcallHandle", segment, descriptor, option.arrayType());
            this.defaultLookup = linkerClass.getMethod("defaultLookup");
            this.descriptorOf = descriptor.getMethod("of", layout, layout.arrayType());
            this.descriptorOfVoid = descriptor.getMethod("ofVoid", layout.arrayType());
            this.optionClass = option;
            this.criticalOption = option.getMethod("critical", boolean.class).invoke(null, false);
            this.javaLong = valueLayout.getField("JAVA_LONG").get(null);
            this.javaInt = valueLayout.getField("JAVA_INT").get(null);
        }

        /** Opens {@code library}; false when it is not there. */
        boolean open(String library) throws ReflectiveOperationException {
            try {
                lookup = lookupClass.getMethod("libraryLookup", String.class, arena).invoke(null, library, global);
                return true;
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof IllegalArgumentException) {
                    return false; // no such library
                }
                throw e;
            }
        }

        /** A downcall handle for {@code symbol} of the opened library, of C type {@code ret(args...)}. */
        MethodHandle handle(String symbol, Class<?> ret, Class<?>... args) throws ReflectiveOperationException {
            return handle(lookup, symbol, ret, args);
        }

        /** A downcall handle for {@code symbol} of the C library the linker knows by default. */
        MethodHandle libcHandle(String symbol, Class<?> ret, Class<?>... args) throws ReflectiveOperationException {
            return handle(defaultLookup.invoke(linker), symbol, ret, args);
        }

        /** A downcall handle for {@code symbol} found by {@code in}, of C type {@code ret(args...)}. */
        private MethodHandle handle(Object in, String symbol, Class<?> ret, Class<?>... args)
                throws ReflectiveOperationException {
            Optional<?> found = (Optional<?>) lookupClass.getMethod("find", String.class).invoke(in, symbol);
            if (found.isEmpty()) {
                throw new NoSuchMethodException("no symbol " + symbol);
            }
            Object argLayouts = Array.newInstance(layout, args.length);
            for (int i = 0; i < args.length; i++) {
                Array.set(argLayouts, i, layoutOf(args[i]));
            }
            Object fd = ret == void.class ? descriptorOfVoid.invoke(null, argLayouts)
                    : descriptorOf.invoke(null, layoutOf(ret), argLayouts);
            Object options = Array.newInstance(optionClass, 1);
            Array.set(options, 0, criticalOption);
            return (MethodHandle) downcall.invoke(linker, found.get(), fd, options);
        }

        private Object layoutOf(Class<?> type) {
            if (type == long.class) {
                return javaLong;
            }
            if (type == int.class) {
                return javaInt;
            }
            throw new IllegalArgumentException("unsupported C type " + type);
        }
    }
}
