// Not for module mode: the client is built with GO111MODULE=off against Debian's Pion sources in
// /usr/share/gocode (see PionClient.java). This file, with the sources copied inside a GOPATH src
// tree, is what makes GOPATH mode resolve github.com/pion/webrtc/v3 (minimal module compatibility).
module sluice.test/pion-client

go 1.19
