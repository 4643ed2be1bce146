package org.sluice.rtp.codec.opus;

/** Opus coding mode selected by the TOC configuration number (RFC 6716 §3.1, Table 2). */
public enum OpusMode { SILK, HYBRID, CELT }
