// Command pion-client is a WHIP publisher, a WHEP viewer or a data channel participant of a
// conference, built on Pion WebRTC, for Sluice's interop tests (org.sluice.api.pion.PionInteropTest,
// PionDataChannelInteropTest). It is built offline in GOPATH mode against Debian's
// golang-github-pion-webrtc.v3-dev and, for the WebSocket, golang-golang-x-net-dev (which that
// package depends on); see PionClient.java for the exact command.
//
// Mode whip publishes a VP8 video track (30 fps, 3 packets of ~1000 B per frame, a keyframe every
// 2 s) and an Opus audio track (one packet every 20 ms), both synthetic RTP written through
// TrackLocalStaticRTP. Mode whep watches a room and counts what arrives. Mode conference-data joins
// a room over the conferencing WebSocket and sends and receives numbered data channel messages (see
// conferenceData below).
//
// Every payload ends with an 8-byte trailer: the magic "SLCE" and a big-endian packet index that
// starts at 0 per track and grows by one per packet. The viewer reads it back, so the two sides can
// be compared packet by packet even if the server rewrites sequence numbers.
//
// Every mode prints one JSON object per line on stdout: a summary every -interval and a final one
// ("final": true) after SIGTERM or SIGINT. On SIGTERM the publisher stops sending, waits -drain so
// packets in flight can land, prints its final summary, DELETEs its WHIP resource and exits 0.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pion/ice/v2"
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v3"
	"golang.org/x/net/websocket"
)

const (
	trailerMagic = "SLCE"
	trailerSize  = 8

	videoClockRate    = 90000
	framesPerSecond   = 30
	packetsPerFrame   = 3
	videoPayloadBytes = 1000
	keyframeInterval  = 2 * time.Second
	frameWidth        = 1280
	frameHeight       = 720

	audioPacketInterval = 20 * time.Millisecond
	audioPayloadBytes   = 80
)

var (
	mode     = flag.String("mode", "", "whip (publish), whep (watch) or conference-data (data channel in a conference)")
	server   = flag.String("server", "http://127.0.0.1:8080", "the server's origin")
	room     = flag.String("room", "pion", "room name")
	token    = flag.String("token", "", "bearer token (optional)")
	interval = flag.Duration("interval", time.Second, "time between JSON summaries")
	drain    = flag.Duration("drain", 500*time.Millisecond, "whip: wait after the last packet before the final summary")
)

// out serialises the JSON lines.
var out = struct {
	sync.Mutex
	enc *json.Encoder
}{enc: json.NewEncoder(os.Stdout)}

func emit(v interface{}) {
	out.Lock()
	defer out.Unlock()
	_ = out.enc.Encode(v)
}

func logf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05.000")+" "+format+"\n", args...)
}

func main() {
	flag.Parse()
	var err error
	switch *mode {
	case "whip":
		err = publish()
	case "whep":
		err = watch()
	case "conference-data":
		err = conferenceData()
	default:
		err = fmt.Errorf("-mode must be whip, whep or conference-data, not %q", *mode)
	}
	if err != nil {
		logf("error: %v", err)
		emit(map[string]interface{}{"error": err.Error()})
		os.Exit(1)
	}
}

// newAPI: Pion's default codecs and interceptors (NACK, RTCP reports, transport-cc), ICE over UDP4
// on loopback (the tests run in a network namespace where only lo is up), no mDNS.
func newAPI() (*webrtc.API, error) {
	media := &webrtc.MediaEngine{}
	if err := media.RegisterDefaultCodecs(); err != nil {
		return nil, err
	}
	registry := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(media, registry); err != nil {
		return nil, err
	}
	settings := webrtc.SettingEngine{}
	settings.SetIncludeLoopbackCandidate(true)
	settings.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	settings.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	return webrtc.NewAPI(webrtc.WithMediaEngine(media), webrtc.WithInterceptorRegistry(registry),
		webrtc.WithSettingEngine(settings)), nil
}

// connection state, shared with the summaries.
type peerState struct {
	sync.Mutex
	state     string
	changes   []string
	connected chan struct{}
	once      sync.Once
}

func watchState(pc *webrtc.PeerConnection) *peerState {
	s := &peerState{state: "new", connected: make(chan struct{})}
	start := time.Now()
	pc.OnConnectionStateChange(func(state webrtc.PeerConnectionState) {
		s.Lock()
		s.state = state.String()
		s.changes = append(s.changes, fmt.Sprintf("%s@%.1fs", state, time.Since(start).Seconds()))
		s.Unlock()
		logf("connection state %s", state)
		if state == webrtc.PeerConnectionStateConnected {
			s.once.Do(func() { close(s.connected) })
		}
	})
	return s
}

func (s *peerState) snapshot() (string, []string) {
	s.Lock()
	defer s.Unlock()
	return s.state, append([]string(nil), s.changes...)
}

// exchange sends the offer (after gathering completes) and applies the answer; returns the resource URL.
func exchange(pc *webrtc.PeerConnection, endpoint string) (string, error) {
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		return "", err
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		return "", err
	}
	select {
	case <-gathered:
	case <-time.After(10 * time.Second):
		return "", fmt.Errorf("ICE gathering did not complete within 10 s")
	}
	sdp := pc.LocalDescription().SDP
	if !strings.Contains(sdp, "a=candidate:") {
		return "", fmt.Errorf("no local ICE candidate gathered")
	}
	request, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(sdp))
	if err != nil {
		return "", err
	}
	request.Header.Set("Content-Type", "application/sdp")
	if *token != "" {
		request.Header.Set("Authorization", "Bearer "+*token)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	response, err := client.Do(request)
	if err != nil {
		return "", err
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		return "", err
	}
	if response.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("POST %s: %d %s", endpoint, response.StatusCode, strings.TrimSpace(string(body)))
	}
	base, err := url.Parse(endpoint)
	if err != nil {
		return "", err
	}
	location, err := base.Parse(response.Header.Get("Location"))
	if err != nil {
		return "", err
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: string(body)}); err != nil {
		return "", err
	}
	return location.String(), nil
}

func deleteResource(resource string) {
	if resource == "" {
		return
	}
	request, err := http.NewRequest(http.MethodDelete, resource, nil)
	if err != nil {
		return
	}
	if *token != "" {
		request.Header.Set("Authorization", "Bearer "+*token)
	}
	client := &http.Client{Timeout: 3 * time.Second}
	if response, err := client.Do(request); err == nil {
		response.Body.Close()
		logf("DELETE %s: %d", resource, response.StatusCode)
	}
}

func signals() chan os.Signal {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	return stop
}

// ---------------------------------------------------------------------------------------------
// WHIP publisher

type sentCounts struct {
	Packets   uint64 `json:"packets"`
	Frames    uint64 `json:"frames,omitempty"`
	Keyframes uint64 `json:"keyframes,omitempty"`
	FirstSeq  uint16 `json:"firstSeq"`
	LastSeq   uint16 `json:"lastSeq"`
	LastIndex int64  `json:"lastIndex"`
	Errors    uint64 `json:"writeErrors"`
}

type rtcpCounts struct {
	Nacks      uint64 `json:"nacks"`
	NackedSeqs uint64 `json:"nackedPackets"`
	Plis       uint64 `json:"plis"`
	Firs       uint64 `json:"firs"`
	Remb       uint64 `json:"remb"`
	Receivers  uint64 `json:"receiverReports"`
	OtherPkts  uint64 `json:"other"`
}

func publish() error {
	api, err := newAPI()
	if err != nil {
		return err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	defer pc.Close()
	state := watchState(pc)

	video, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8,
		ClockRate: videoClockRate}, "video", "pion")
	if err != nil {
		return err
	}
	audio, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus,
		ClockRate: 48000, Channels: 2}, "audio", "pion")
	if err != nil {
		return err
	}
	var rtcpMu sync.Mutex
	rtcpIn := map[string]*rtcpCounts{"video": {}, "audio": {}}
	for kind, track := range map[string]webrtc.TrackLocal{"video": video, "audio": audio} {
		sender, err := pc.AddTransceiverFromTrack(track, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
		if err != nil {
			return err
		}
		counts := rtcpIn[kind]
		go readRTCP(sender.Sender(), counts, &rtcpMu)
	}

	resource, err := exchange(pc, strings.TrimRight(*server, "/")+"/whip/"+*room)
	if err != nil {
		return err
	}
	logf("published at %s", resource)

	stop := signals()
	select {
	case <-state.connected:
	case <-time.After(15 * time.Second):
		deleteResource(resource)
		return fmt.Errorf("not connected within 15 s")
	case <-stop:
		deleteResource(resource)
		return fmt.Errorf("stopped before connecting")
	}

	var mu sync.Mutex
	sent := map[string]*sentCounts{"video": {LastIndex: -1}, "audio": {LastIndex: -1}}
	summary := func(final bool) map[string]interface{} {
		mu.Lock()
		defer mu.Unlock()
		rtcpMu.Lock()
		defer rtcpMu.Unlock()
		st, changes := state.snapshot()
		return map[string]interface{}{"mode": "whip", "final": final, "state": st, "stateChanges": changes,
			"video": *sent["video"], "audio": *sent["audio"],
			"rtcpVideo": *rtcpIn["video"], "rtcpAudio": *rtcpIn["audio"]}
	}

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); sendVideo(video, sent["video"], &mu, done) }()
	go func() { defer wg.Done(); sendAudio(audio, sent["audio"], &mu, done) }()

	ticker := time.NewTicker(*interval)
	defer ticker.Stop()
	for running := true; running; {
		select {
		case <-ticker.C:
			emit(summary(false))
		case <-stop:
			running = false
		}
	}
	close(done)
	wg.Wait()
	time.Sleep(*drain)
	emit(summary(true))
	deleteResource(resource)
	return nil
}

func readRTCP(sender *webrtc.RTPSender, counts *rtcpCounts, mu *sync.Mutex) {
	for {
		packets, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		mu.Lock()
		for _, packet := range packets {
			switch p := packet.(type) {
			case *rtcp.TransportLayerNack:
				counts.Nacks++
				for _, pair := range p.Nacks {
					counts.NackedSeqs += uint64(len(pair.PacketList()))
				}
			case *rtcp.PictureLossIndication:
				counts.Plis++
			case *rtcp.FullIntraRequest:
				counts.Firs++
			case *rtcp.ReceiverEstimatedMaximumBitrate:
				counts.Remb++
			case *rtcp.ReceiverReport:
				counts.Receivers++
			default:
				counts.OtherPkts++
			}
		}
		mu.Unlock()
	}
}

// withTrailer fills payload[len-8:] with the magic and the index.
func withTrailer(payload []byte, index int64) []byte {
	n := len(payload)
	copy(payload[n-trailerSize:], trailerMagic)
	binary.BigEndian.PutUint32(payload[n-4:], uint32(index))
	return payload
}

// vp8Payload is one packet of a VP8 frame: the payload descriptor (X=1, S on the frame's first
// packet, PID 0, a 15-bit picture ID) and, on the first packet, the VP8 payload header: the frame
// tag (P=0 for a keyframe, version 0, show_frame, first partition size) and for keyframes the start
// code 9d 01 2a with 1280x720. The rest is junk, ending in the index trailer.
func vp8Payload(first, keyframe bool, pictureID uint16, index int64, random *rand.Rand) []byte {
	payload := make([]byte, videoPayloadBytes)
	random.Read(payload)
	descriptor := []byte{0x80, 0x80, byte(0x80 | (pictureID>>8)&0x7f), byte(pictureID)}
	if first {
		descriptor[0] |= 0x10
	}
	copy(payload, descriptor)
	if first {
		const partitionSize = 200
		tag := byte(partitionSize&0x7)<<5 | 0x10 // show_frame, version 0
		if !keyframe {
			tag |= 0x01 // P: interframe
		}
		header := []byte{tag, byte(partitionSize >> 3), byte(partitionSize >> 11)}
		if keyframe {
			header = append(header, 0x9d, 0x01, 0x2a,
				byte(frameWidth&0xff), byte(frameWidth>>8), byte(frameHeight&0xff), byte(frameHeight>>8))
		}
		copy(payload[len(descriptor):], header)
	}
	return withTrailer(payload, index)
}

func sendVideo(track *webrtc.TrackLocalStaticRTP, counts *sentCounts, mu *sync.Mutex, done chan struct{}) {
	random := rand.New(rand.NewSource(1))
	seq := uint16(random.Intn(1 << 16))
	timestamp := random.Uint32()
	pictureID := uint16(random.Intn(1 << 15))
	mu.Lock()
	counts.FirstSeq = seq
	mu.Unlock()
	framesPerKeyframe := uint64(keyframeInterval.Seconds() * framesPerSecond)
	ticker := time.NewTicker(time.Second / framesPerSecond)
	defer ticker.Stop()
	var frame uint64
	for {
		select {
		case <-done:
			return
		case <-ticker.C:
		}
		keyframe := frame%framesPerKeyframe == 0
		for i := 0; i < packetsPerFrame; i++ {
			mu.Lock()
			index := counts.LastIndex + 1
			mu.Unlock()
			packet := &rtp.Packet{
				Header: rtp.Header{Version: 2, Marker: i == packetsPerFrame-1, SequenceNumber: seq,
					Timestamp: timestamp},
				Payload: vp8Payload(i == 0, keyframe, pictureID, index, random),
			}
			err := track.WriteRTP(packet)
			mu.Lock()
			counts.LastIndex = index
			counts.LastSeq = seq
			counts.Packets++
			if err != nil {
				counts.Errors++
			}
			mu.Unlock()
			seq++
		}
		mu.Lock()
		counts.Frames++
		if keyframe {
			counts.Keyframes++
		}
		mu.Unlock()
		frame++
		pictureID = (pictureID + 1) & 0x7fff
		timestamp += videoClockRate / framesPerSecond
	}
}

func sendAudio(track *webrtc.TrackLocalStaticRTP, counts *sentCounts, mu *sync.Mutex, done chan struct{}) {
	random := rand.New(rand.NewSource(2))
	seq := uint16(random.Intn(1 << 16))
	timestamp := random.Uint32()
	mu.Lock()
	counts.FirstSeq = seq
	mu.Unlock()
	ticker := time.NewTicker(audioPacketInterval)
	defer ticker.Stop()
	for {
		select {
		case <-done:
			return
		case <-ticker.C:
		}
		mu.Lock()
		index := counts.LastIndex + 1
		mu.Unlock()
		payload := make([]byte, audioPayloadBytes)
		random.Read(payload)
		payload[0] = 0x78 // TOC: config 15 (hybrid FB 20 ms), mono, one frame
		packet := &rtp.Packet{
			Header:  rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: timestamp},
			Payload: withTrailer(payload, index),
		}
		err := track.WriteRTP(packet)
		mu.Lock()
		counts.LastIndex = index
		counts.LastSeq = seq
		counts.Packets++
		if err != nil {
			counts.Errors++
		}
		mu.Unlock()
		seq++
		timestamp += 960
	}
}

// ---------------------------------------------------------------------------------------------
// WHEP viewer

// received is what one remote track delivered.
type received struct {
	Packets        uint64 `json:"packets"`
	Gaps           uint64 `json:"gaps"`         // sequence numbers skipped going forward
	GapEvents      uint64 `json:"gapEvents"`    // times a forward jump > 1 was seen
	Late           uint64 `json:"late"`         // packets older than the newest seen (reordered or retransmitted)
	FirstSeq       int    `json:"firstSeq"`     // -1 before the first packet
	LastSeq        int    `json:"lastSeq"`      // the newest sequence number
	FirstIndex     int64  `json:"firstIndex"`   // trailer index of the first packet, -1 before it
	LastIndex      int64  `json:"lastIndex"`    // the highest trailer index seen
	Distinct       uint64 `json:"distinct"`     // distinct trailer indices seen
	Missing        uint64 `json:"missing"`      // indices in [firstIndex, lastIndex] never seen
	Duplicates     uint64 `json:"duplicates"`   // indices seen more than once
	NoTrailer      uint64 `json:"noTrailer"`    // packets without the trailer
	Keyframes      uint64 `json:"keyframes"`    // VP8 packets starting a keyframe
	MaxSilenceMs   int64  `json:"maxSilenceMs"` // longest time between two packets after the first
	FirstArrivalMs int64  `json:"firstArrivalMs"`
	LastArrivalMs  int64  `json:"lastArrivalMs"`
	Ssrc           uint32 `json:"ssrc"`
	Codec          string `json:"codec"`
	seen           []bool
	lastArrival    time.Time
}

func (r *received) add(packet *rtp.Packet, kind string, start time.Time) {
	now := time.Now()
	seq := int(packet.SequenceNumber)
	if r.Packets == 0 {
		r.FirstSeq = seq
		r.LastSeq = seq
		r.FirstArrivalMs = now.Sub(start).Milliseconds()
	} else {
		delta := uint16(packet.SequenceNumber - uint16(r.LastSeq))
		switch {
		case delta == 0:
			r.Late++
		case delta < 0x8000:
			if delta > 1 {
				r.Gaps += uint64(delta - 1)
				r.GapEvents++
			}
			r.LastSeq = seq
		default:
			r.Late++
		}
		if silence := now.Sub(r.lastArrival).Milliseconds(); silence > r.MaxSilenceMs {
			r.MaxSilenceMs = silence
		}
	}
	r.lastArrival = now
	r.LastArrivalMs = now.Sub(start).Milliseconds()
	r.Packets++
	r.Ssrc = packet.SSRC

	payload := packet.Payload
	if kind == "video" && isVP8KeyframeStart(payload) {
		r.Keyframes++
	}
	if len(payload) < trailerSize || !bytes.Equal(payload[len(payload)-trailerSize:len(payload)-4], []byte(trailerMagic)) {
		r.NoTrailer++
		return
	}
	index := int64(binary.BigEndian.Uint32(payload[len(payload)-4:]))
	if r.FirstIndex < 0 {
		r.FirstIndex = index
	}
	if index < r.FirstIndex {
		return // older than the first packet seen: outside the window
	}
	offset := int(index - r.FirstIndex)
	for len(r.seen) <= offset {
		r.seen = append(r.seen, false)
	}
	if r.seen[offset] {
		r.Duplicates++
		return
	}
	r.seen[offset] = true
	r.Distinct++
	if index > r.LastIndex {
		r.LastIndex = index
	}
}

func (r *received) snapshot() received {
	snap := *r
	snap.seen = nil
	if r.FirstIndex >= 0 && r.LastIndex >= r.FirstIndex {
		snap.Missing = uint64(r.LastIndex-r.FirstIndex+1) - r.Distinct
	}
	return snap
}

// isVP8KeyframeStart: a VP8 payload descriptor with S=1 and PID=0, then a frame tag with P=0.
func isVP8KeyframeStart(payload []byte) bool {
	if len(payload) < 1 || payload[0]&0x10 == 0 || payload[0]&0x07 != 0 {
		return false
	}
	i := 1
	if payload[0]&0x80 != 0 {
		if len(payload) < 2 {
			return false
		}
		x := payload[1]
		i = 2
		if x&0x80 != 0 { // I: picture ID
			if len(payload) <= i {
				return false
			}
			if payload[i]&0x80 != 0 {
				i += 2
			} else {
				i++
			}
		}
		if x&0x40 != 0 { // L: TL0PICIDX
			i++
		}
		if x&0x30 != 0 { // T or K
			i++
		}
	}
	return len(payload) > i && payload[i]&0x01 == 0
}

func watch() error {
	api, err := newAPI()
	if err != nil {
		return err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	defer pc.Close()
	state := watchState(pc)
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(kind, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			return err
		}
	}

	start := time.Now()
	var mu sync.Mutex
	tracks := map[string]*received{}
	pc.OnTrack(func(track *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
		kind := track.Kind().String()
		logf("track %s ssrc %d %s", kind, track.SSRC(), track.Codec().MimeType)
		r := &received{FirstSeq: -1, LastSeq: -1, FirstIndex: -1, LastIndex: -1, Codec: track.Codec().MimeType}
		mu.Lock()
		tracks[kind] = r
		mu.Unlock()
		go func() { // RTCP from the server must be read for the interceptors to see it
			for {
				if _, _, err := receiver.ReadRTCP(); err != nil {
					return
				}
			}
		}()
		for {
			packet, _, err := track.ReadRTP()
			if err != nil {
				logf("track %s ended: %v", kind, err)
				return
			}
			mu.Lock()
			r.add(packet, kind, start)
			mu.Unlock()
		}
	})

	resource, err := exchange(pc, strings.TrimRight(*server, "/")+"/whep/"+*room)
	if err != nil {
		return err
	}
	logf("watching at %s", resource)

	summary := func(final bool) map[string]interface{} {
		mu.Lock()
		defer mu.Unlock()
		st, changes := state.snapshot()
		result := map[string]interface{}{"mode": "whep", "final": final, "state": st, "stateChanges": changes,
			"elapsedMs": time.Since(start).Milliseconds()}
		for kind, r := range tracks {
			result[kind] = r.snapshot()
		}
		return result
	}
	stop := signals()
	ticker := time.NewTicker(*interval)
	defer ticker.Stop()
	for running := true; running; {
		select {
		case <-ticker.C:
			emit(summary(false))
		case <-stop:
			running = false
		}
	}
	emit(summary(true))
	deleteResource(resource)
	return nil
}

// ---------------------------------------------------------------------------------------------
// Conference participant with a data channel (mode conference-data)
//
// Joins a room over the conferencing WebSocket (/ws, docs/protocol.md), offers a data channel
// labelled -label (ordered, reliable) and publishes nothing. Every renegotiate is answered with a
// new offer that has at least the receive-only sections asked for; whatever media arrives in them
// is read and counted. Once the channel is open it prints {"event":"open",...} and sends
// -messages numbered texts ("pion-0", "pion-1", ...) one every -pace, plus two binary messages
// (1 KiB after text -messages/2, 64 KiB after the last text) whose bytes are (i*7 + size) & 0xff.
// It records what the channel receives: numbered texts ("<anything>-<n>") must come as 0, 1, 2...;
// binary messages are checked against the same pattern. Summaries every -interval, a final one
// on SIGTERM/SIGINT or after -run.

var (
	label    = flag.String("label", "chat", "conference-data: data channel label")
	name     = flag.String("name", "pion", "conference-data: display name")
	messages = flag.Int("messages", 200, "conference-data: numbered text messages to send (at most 100000)")
	pace     = flag.Duration("pace", 10*time.Millisecond, "conference-data: time between two messages sent")
	runFor   = flag.Duration("run", 2*time.Minute, "conference-data: stop (with a final summary) after this long")
)

const (
	maxMessages     = 100000
	maxNegotiations = 50
	maxBinaryLog    = 100
	signalTimeout   = 10 * time.Second
)

var binarySizes = []int{1024, 64 * 1024}

// patterned: size bytes, byte i being (i*7 + size) & 0xff.
func patterned(size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte((i*7 + size) & 0xff)
	}
	return b
}

func isPatterned(b []byte) bool {
	for i := range b {
		if b[i] != byte((i*7+len(b))&0xff) {
			return false
		}
	}
	return true
}

// signaling is the participant's WebSocket: one goroutine reads into incoming, writes are serialised.
type signaling struct {
	ws       *websocket.Conn
	writeMu  sync.Mutex
	incoming chan map[string]interface{}
	closed   chan struct{}
	err      error
	nextID   int
}

func dialSignaling(origin string) (*signaling, error) {
	base, err := url.Parse(strings.TrimRight(origin, "/"))
	if err != nil {
		return nil, err
	}
	wsURL := *base
	if base.Scheme == "https" {
		wsURL.Scheme = "wss"
	} else {
		wsURL.Scheme = "ws"
	}
	wsURL.Path = "/ws"
	if *token != "" {
		wsURL.RawQuery = url.Values{"access_token": {*token}}.Encode()
	}
	config, err := websocket.NewConfig(wsURL.String(), base.String())
	if err != nil {
		return nil, err
	}
	config.Dialer = &net.Dialer{Timeout: signalTimeout}
	ws, err := websocket.DialConfig(config)
	if err != nil {
		return nil, err
	}
	s := &signaling{ws: ws, incoming: make(chan map[string]interface{}, 256), closed: make(chan struct{})}
	go s.read()
	return s, nil
}

func (s *signaling) read() {
	defer close(s.closed)
	for {
		var text string
		if err := websocket.Message.Receive(s.ws, &text); err != nil {
			s.err = err
			return
		}
		var message map[string]interface{}
		if err := json.Unmarshal([]byte(text), &message); err != nil {
			logf("not JSON from the server: %q", text)
			continue
		}
		if message["type"] != "answer" {
			logf("server: %s", text)
		}
		select {
		case s.incoming <- message:
		case <-time.After(signalTimeout):
			s.err = fmt.Errorf("nobody read the server's messages for %s", signalTimeout)
			return
		}
	}
}

// send sends a request with a fresh id and returns the id.
func (s *signaling) send(message map[string]interface{}) (string, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.nextID++
	id := fmt.Sprint(s.nextID)
	message["id"] = id
	message["v"] = 1
	data, err := json.Marshal(message)
	if err != nil {
		return "", err
	}
	_ = s.ws.SetWriteDeadline(time.Now().Add(signalTimeout))
	return id, websocket.Message.Send(s.ws, string(data))
}

// channelLog is what the data channel delivered.
type channelLog struct {
	Texts        uint64        `json:"texts"`
	Numbered     uint64        `json:"numbered"`
	FirstText    string        `json:"firstText"`
	LastText     string        `json:"lastText"`
	LastIndex    int64         `json:"lastIndex"`
	InOrder      bool          `json:"inOrder"` // numbered texts came as 0, 1, 2, ... (so far)
	Duplicates   uint64        `json:"duplicates"`
	Binary       uint64        `json:"binary"`
	BinaryOk     bool          `json:"binaryOk"` // every binary message had the expected bytes
	BinaryLog    []binaryEntry `json:"binaryLog"`
	Bytes        uint64        `json:"bytes"`
	FirstAtMs    int64         `json:"firstAtMs"`
	LastAtMs     int64         `json:"lastAtMs"`
	seenNumbered map[int64]bool
}

type binaryEntry struct {
	Size       int    `json:"size"`
	Ok         bool   `json:"ok"`
	AfterTexts uint64 `json:"afterTexts"` // texts received before it
}

func (l *channelLog) add(msg webrtc.DataChannelMessage, start time.Time) {
	now := time.Since(start).Milliseconds()
	if l.Texts+l.Binary == 0 {
		l.FirstAtMs = now
	}
	l.LastAtMs = now
	l.Bytes += uint64(len(msg.Data))
	if !msg.IsString {
		ok := isPatterned(msg.Data)
		l.Binary++
		l.BinaryOk = l.BinaryOk && ok
		if len(l.BinaryLog) < maxBinaryLog {
			l.BinaryLog = append(l.BinaryLog, binaryEntry{Size: len(msg.Data), Ok: ok, AfterTexts: l.Texts})
		}
		return
	}
	text := string(msg.Data)
	if l.Texts == 0 {
		l.FirstText = text
	}
	l.LastText = text
	l.Texts++
	dash := strings.LastIndex(text, "-")
	var index int64
	if dash < 0 {
		return
	}
	if _, err := fmt.Sscanf(text[dash+1:], "%d", &index); err != nil {
		return
	}
	l.Numbered++
	if l.seenNumbered[index] {
		l.Duplicates++
	}
	l.seenNumbered[index] = true
	if index != l.LastIndex+1 {
		l.InOrder = false
	}
	l.LastIndex = index
}

type sentLog struct {
	Texts     uint64 `json:"texts"`
	FirstText string `json:"firstText"`
	LastText  string `json:"lastText"`
	Binary    uint64 `json:"binary"`
	Bytes     uint64 `json:"bytes"`
	Errors    uint64 `json:"errors"`
	LastError string `json:"lastError,omitempty"`
	Done      bool   `json:"done"`
	StartMs   int64  `json:"startMs"`
	DoneMs    int64  `json:"doneMs"`
}

func sendNumbered(dc *webrtc.DataChannel, sent *sentLog, mu *sync.Mutex, start time.Time, done chan struct{}) {
	record := func(text string, size int, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			sent.Errors++
			sent.LastError = err.Error()
			return
		}
		sent.Bytes += uint64(size)
		if text == "" {
			sent.Binary++
			return
		}
		if sent.Texts == 0 {
			sent.FirstText = text
		}
		sent.LastText = text
		sent.Texts++
	}
	sendBinary := func(size int) {
		record("", size, dc.Send(patterned(size)))
	}
	mu.Lock()
	sent.StartMs = time.Since(start).Milliseconds()
	mu.Unlock()
	ticker := time.NewTicker(*pace)
	defer ticker.Stop()
	for i := 0; i < *messages; i++ {
		select {
		case <-done:
			return
		case <-ticker.C:
		}
		text := fmt.Sprintf("pion-%d", i)
		record(text, len(text), dc.SendText(text))
		if i == *messages/2 {
			sendBinary(binarySizes[0])
		}
	}
	sendBinary(binarySizes[1])
	mu.Lock()
	sent.Done = true
	sent.DoneMs = time.Since(start).Milliseconds()
	mu.Unlock()
}

func conferenceData() error {
	if *messages < 0 || *messages > maxMessages {
		return fmt.Errorf("-messages must be 0..%d", maxMessages)
	}
	if *pace <= 0 || *runFor <= 0 {
		return fmt.Errorf("-pace and -run must be positive")
	}
	start := time.Now()
	deadline := time.After(*runFor)
	stop := signals()

	sig, err := dialSignaling(*server)
	if err != nil {
		return err
	}
	defer sig.ws.Close()

	// Everything below runs on this goroutine except the sender and the media readers.
	var mu sync.Mutex
	events := map[string]int{}
	wanted := map[webrtc.RTPCodecType]int{}
	renegotiateAsked := 0
	pending := false
	handleEvent := func(message map[string]interface{}) {
		kind, _ := message["type"].(string)
		mu.Lock()
		events[kind]++
		mu.Unlock()
		if kind == "renegotiate" {
			renegotiateAsked++
			for codecType, field := range map[webrtc.RTPCodecType]string{webrtc.RTPCodecTypeAudio: "audio",
				webrtc.RTPCodecTypeVideo: "video"} {
				if n, ok := message[field].(float64); ok && int(n) > wanted[codecType] {
					wanted[codecType] = int(n)
				}
			}
			pending = true
		}
	}
	// await reads messages until the reply to request id (returned) or the timeout; events are handled.
	await := func(id string) (map[string]interface{}, error) {
		timeout := time.After(signalTimeout)
		for {
			select {
			case message := <-sig.incoming:
				if fmt.Sprint(message["id"]) == id && message["id"] != nil {
					if message["type"] == "error" {
						return nil, fmt.Errorf("server error %v: %v", message["code"], message["message"])
					}
					return message, nil
				}
				handleEvent(message)
			case <-sig.closed:
				return nil, fmt.Errorf("WebSocket closed: %v", sig.err)
			case <-timeout:
				return nil, fmt.Errorf("no reply to request %s within %s", id, signalTimeout)
			}
		}
	}

	id, err := sig.send(map[string]interface{}{"type": "join", "room": *room, "name": *name})
	if err != nil {
		return err
	}
	joined, err := await(id)
	if err != nil {
		return fmt.Errorf("join: %w", err)
	}
	if joined["type"] != "joined" {
		return fmt.Errorf("join: got %v", joined["type"])
	}
	participantID := ""
	if self, ok := joined["self"].(map[string]interface{}); ok {
		participantID, _ = self["id"].(string)
	}
	logf("joined %s as %s", *room, participantID)

	api, err := newAPI()
	if err != nil {
		return err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	defer pc.Close()
	state := watchState(pc)
	media := map[string]uint64{}
	pc.OnTrack(func(track *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
		kind := track.Kind().String()
		logf("track %s ssrc %d %s", kind, track.SSRC(), track.Codec().MimeType)
		go func() {
			for {
				if _, _, err := receiver.ReadRTCP(); err != nil {
					return
				}
			}
		}()
		for {
			if _, _, err := track.ReadRTP(); err != nil {
				return
			}
			mu.Lock()
			media[kind]++
			mu.Unlock()
		}
	})

	ordered := true
	dc, err := pc.CreateDataChannel(*label, &webrtc.DataChannelInit{Ordered: &ordered})
	if err != nil {
		return err
	}
	got := &channelLog{LastIndex: -1, InOrder: true, BinaryOk: true, seenNumbered: map[int64]bool{}}
	dc.OnMessage(func(msg webrtc.DataChannelMessage) {
		mu.Lock()
		got.add(msg, start)
		mu.Unlock()
	})
	opened := make(chan struct{})
	var openOnce sync.Once
	dc.OnOpen(func() { openOnce.Do(func() { close(opened) }) })
	channelState := func() string { return dc.ReadyState().String() }

	negotiations := 0
	negotiationErrors := []string{}
	// negotiate: one offer with the data section and at least the receive sections asked for so far.
	negotiate := func() error {
		pending = false
		negotiations++
		for codecType, want := range wanted {
			have := 0
			for _, t := range pc.GetTransceivers() {
				if t.Kind() == codecType && t.Direction() == webrtc.RTPTransceiverDirectionRecvonly {
					have++
				}
			}
			for ; have < want; have++ {
				if _, err := pc.AddTransceiverFromKind(codecType, webrtc.RTPTransceiverInit{
					Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
					return err
				}
			}
		}
		offer, err := pc.CreateOffer(nil)
		if err != nil {
			return err
		}
		gathered := webrtc.GatheringCompletePromise(pc)
		if err := pc.SetLocalDescription(offer); err != nil {
			return err
		}
		select {
		case <-gathered:
		case <-time.After(signalTimeout):
			return fmt.Errorf("ICE gathering did not complete within %s", signalTimeout)
		}
		id, err := sig.send(map[string]interface{}{"type": "offer", "sdp": pc.LocalDescription().SDP})
		if err != nil {
			return err
		}
		answer, err := await(id)
		if err != nil {
			return fmt.Errorf("offer %d: %w", negotiations, err)
		}
		sdp, _ := answer["sdp"].(string)
		if answer["type"] != "answer" || sdp == "" {
			return fmt.Errorf("offer %d: got %v without an SDP", negotiations, answer["type"])
		}
		if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp}); err != nil {
			return err
		}
		logf("negotiation %d done: %d audio, %d video receive sections; answer tracks %v", negotiations,
			wanted[webrtc.RTPCodecTypeAudio], wanted[webrtc.RTPCodecTypeVideo], answer["tracks"])
		return nil
	}
	if err := negotiate(); err != nil {
		return err
	}

	sent := &sentLog{}
	summary := func(final bool) map[string]interface{} {
		mu.Lock()
		defer mu.Unlock()
		st, changes := state.snapshot()
		received := *got
		received.BinaryLog = append([]binaryEntry{}, got.BinaryLog...)
		eventCounts := map[string]int{}
		for k, v := range events {
			eventCounts[k] = v
		}
		return map[string]interface{}{"mode": "conference-data", "final": final, "state": st,
			"stateChanges": changes, "participantId": participantID, "label": *label, "channel": channelState(),
			"sent": *sent, "received": received, "negotiations": negotiations,
			"renegotiateAsked": renegotiateAsked, "negotiationErrors": negotiationErrors,
			"receiveSections": map[string]int{"audio": wanted[webrtc.RTPCodecTypeAudio],
				"video": wanted[webrtc.RTPCodecTypeVideo]},
			"media":  map[string]uint64{"audio": media["audio"], "video": media["video"]},
			"events": eventCounts, "elapsedMs": time.Since(start).Milliseconds()}
	}

	done := make(chan struct{})
	var senders sync.WaitGroup
	ticker := time.NewTicker(*interval)
	defer ticker.Stop()
	openTimeout := time.After(15 * time.Second)
	for running := true; running; {
		if pending {
			if negotiations >= maxNegotiations {
				pending = false
				negotiationErrors = append(negotiationErrors, "too many negotiations; renegotiate ignored")
			} else if err := negotiate(); err != nil {
				logf("renegotiation failed: %v", err)
				mu.Lock()
				negotiationErrors = append(negotiationErrors, err.Error())
				mu.Unlock()
			}
		}
		select {
		case message := <-sig.incoming:
			handleEvent(message)
		case <-opened:
			opened = nil
			openTimeout = nil
			emit(map[string]interface{}{"mode": "conference-data", "event": "open", "label": *label,
				"participantId": participantID, "elapsedMs": time.Since(start).Milliseconds()})
			senders.Add(1)
			go func() { defer senders.Done(); sendNumbered(dc, sent, &mu, start, done) }()
		case <-openTimeout:
			close(done)
			return fmt.Errorf("data channel %q not open within 15 s (state %s)", *label, channelState())
		case <-ticker.C:
			emit(summary(false))
		case <-sig.closed:
			logf("WebSocket closed: %v", sig.err)
			running = false
		case <-stop:
			running = false
		case <-deadline:
			logf("run time %s over", *runFor)
			running = false
		}
	}
	close(done)
	senders.Wait()
	emit(summary(true))
	_, _ = sig.send(map[string]interface{}{"type": "leave"})
	return nil
}
