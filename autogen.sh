#!/bin/sh
# SPDX-License-Identifier: ISC
# Regenerate the build system: ./autogen.sh && ./configure && make
autoreconf -W portability -visfm
