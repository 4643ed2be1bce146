package org.sluice.rtp.ffm;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Downcall handles to C functions through the Foreign Function and Memory API of JDK 22 and later, from code that
 * compiles for Java 17, where that API does not exist.
 *
 * <p>The API is reached once through reflection, when the handles are made. Every C pointer is passed as a
 * {@code long} address and every other argument as an {@code int} or a {@code long}, so each handle's type is
 * primitive ({@code (long, int, ...)int}): its call sites are ordinary {@code invokeExact} calls that compile on 17
 * and that the JIT inlines on 22+. Native memory is a direct {@link ByteBuffer} whose address {@link #address} gives
 * once; nothing here allocates per call.
 *
 * <p>A handle is <em>critical</em> (no thread-state transition, for a call of a few microseconds that never blocks
 * or calls back) or not (a system call that may take longer). {@link #libcWithErrno} makes one that keeps the
 * {@code errno} each call leaves.
 */
public final class ForeignCalls {

    /** The first Java release whose FFM API is final. */
    public static final int FFM_RELEASE = 22;

    private final Class<?> segment;
    private final Object linker;
    private final Object global;
    private final Class<?> lookupClass;
    private final Class<?> optionClass;
    private final Class<?> layout;
    private final Method downcall;
    private final Method libraryLookup;
    private final Class<?> arena;
    private final Method arenaOfAuto;
    private final Method descriptorOf;
    private final Method descriptorOfVoid;
    private final Method segmentOfBuffer;
    private final Method segmentOfAddress;
    private final Method segmentAddress;
    private final Method segmentReinterpret;
    private final Method segmentGetString;
    private final Object critical;
    private final Object errnoCapture;
    private final Object javaLong;
    private final Object javaInt;
    private final Object libc;
    private final long errnoOffset;

    private ForeignCalls() throws ReflectiveOperationException {
        Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> pathElement = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
        Class<?> arena = Class.forName("java.lang.foreign.Arena");
        this.layout = Class.forName("java.lang.foreign.MemoryLayout");
        this.segment = Class.forName("java.lang.foreign.MemorySegment");
        this.lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
        this.linker = linkerClass.getMethod("nativeLinker").invoke(null);
        this.global = arena.getMethod("global").invoke(null);
        this.downcall = linkerClass.getMethod("downcallHandle", segment, descriptor, option.arrayType());
        this.libraryLookup = lookupClass.getMethod("libraryLookup", String.class, arena);
        this.arena = arena;
        this.arenaOfAuto = arena.getMethod("ofAuto");
        this.descriptorOf = descriptor.getMethod("of", layout, layout.arrayType());
        this.descriptorOfVoid = descriptor.getMethod("ofVoid", layout.arrayType());
        this.segmentOfBuffer = segment.getMethod("ofBuffer", java.nio.Buffer.class);
        this.segmentOfAddress = segment.getMethod("ofAddress", long.class);
        this.segmentAddress = segment.getMethod("address");
        this.segmentReinterpret = segment.getMethod("reinterpret", long.class);
        this.segmentGetString = segment.getMethod("getString", long.class);
        this.optionClass = option;
        this.critical = option.getMethod("critical", boolean.class).invoke(null, false);
        this.errnoCapture = option.getMethod("captureCallState", String[].class).invoke(null,
                (Object) new String[] {"errno"});
        Object captureLayout = option.getMethod("captureStateLayout").invoke(null);
        Object errnoPath = Array.newInstance(pathElement, 1);
        Array.set(errnoPath, 0, pathElement.getMethod("groupElement", String.class).invoke(null, "errno"));
        this.errnoOffset = (long) layout.getMethod("byteOffset", pathElement.arrayType()).invoke(captureLayout,
                errnoPath);
        this.javaLong = valueLayout.getField("JAVA_LONG").get(null);
        this.javaInt = valueLayout.getField("JAVA_INT").get(null);
        this.libc = linkerClass.getMethod("defaultLookup").invoke(linker);
    }

    /** The FFM API on this JVM, or why there is none. Never throws. */
    public static Available load() {
        if (Runtime.version().feature() < FFM_RELEASE) {
            return new Available(null, "Java " + Runtime.version().feature()
                    + " has no final FFM API (" + FFM_RELEASE + " or later)");
        }
        try {
            return new Available(new ForeignCalls(), null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new Available(null, "the FFM API is not usable: " + e);
        }
    }

    /** The result of {@link #load()}: the calls, or null and the reason. */
    public record Available(ForeignCalls calls, String unavailable) {
    }

    /** A shared library opened by name, or empty when there is none of that name. */
    public Optional<Library> open(String name) throws ReflectiveOperationException {
        try {
            return Optional.of(new Library(libraryLookup.invoke(null, name, global)));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Functions of one opened library. */
    public final class Library {

        private final Object lookup;

        private Library(Object lookup) {
            this.lookup = lookup;
        }

        /** A critical handle for {@code symbol}, of C type {@code ret(args...)}. */
        public MethodHandle critical(String symbol, Class<?> ret, Class<?>... args)
                throws ReflectiveOperationException {
            return handle(lookup, symbol, false, ret, args);
        }
    }

    /** A handle for the C library's {@code symbol}, critical or not, of C type {@code ret(args...)}. */
    public MethodHandle libc(String symbol, boolean critical, Class<?> ret, Class<?>... args)
            throws ReflectiveOperationException {
        return handle(libc, symbol, !critical, ret, args);
    }

    /**
     * A handle for the C library's {@code symbol} (not critical) that writes the {@code errno} each call leaves into
     * its own native call state, read through {@link ErrnoCall#errno()}; for one thread at a time.
     */
    public ErrnoCall libcWithErrno(String symbol, Class<?> ret, Class<?>... args) throws ReflectiveOperationException {
        Object state = arena.getMethod("allocate", long.class, long.class)
                .invoke(arenaOfAuto.invoke(null), (long) callStateSize(), 8L);
        ByteBuffer view = ((ByteBuffer) segment.getMethod("asByteBuffer").invoke(state)).order(ByteOrder.nativeOrder());
        MethodHandle capturing = handle(libc, symbol, true, ret, args, errnoCapture);
        return new ErrnoCall(MethodHandles.insertArguments(capturing, 0, state), view, (int) errnoOffset);
    }

    /** A handle made by {@link #libcWithErrno}, and where the errno of its last call is. */
    public record ErrnoCall(MethodHandle handle, ByteBuffer state, int errnoOffset) {
        /** The {@code errno} the last call left. */
        public int errno() {
            return state.getInt(errnoOffset);
        }
    }

    /** The bytes the call state of {@link #libcWithErrno} needs. */
    private int callStateSize() {
        return (int) errnoOffset + Integer.BYTES;
    }

    /** The native address of a direct buffer's first byte (once per buffer, never per call). */
    public long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        try {
            return (long) segmentAddress.invoke(segmentOfBuffer.invoke(null, direct));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no address for a direct buffer", e);
        }
    }

    /** The NUL-terminated text at {@code address}, at most {@code max} bytes long. */
    public String string(long address, long max) throws ReflectiveOperationException {
        Object text = segmentReinterpret.invoke(segmentOfAddress.invoke(null, address), max);
        return (String) segmentGetString.invoke(text, 0L);
    }

    private MethodHandle handle(Object in, String symbol, boolean blocking, Class<?> ret, Class<?>[] args,
                                Object... extraOptions) throws ReflectiveOperationException {
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
        int count = (blocking ? 0 : 1) + extraOptions.length;
        Object options = Array.newInstance(optionClass, count);
        int at = 0;
        if (!blocking) {
            Array.set(options, at++, critical);
        }
        for (Object extra : extraOptions) {
            Array.set(options, at++, extra);
        }
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
