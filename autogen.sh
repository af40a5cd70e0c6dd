#!/bin/sh
# Regenerate the build system: ./autogen.sh && ./configure && make
autoreconf -W portability -visfm
