"""A TCP proxy that can partition: `cut()` stops forwarding without closing anything (the
peers see a network that went silent, not a refused port), `restore()` lets the bytes held
back through. Used to cut the database off from the app in the outage test."""

from __future__ import annotations

import selectors
import socket
import threading


class PartitionProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._open = threading.Event()
        self._open.set()
        self._stopping = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> PartitionProxy:
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()
        return self

    def cut(self) -> None:
        self._open.clear()

    def restore(self) -> None:
        self._open.set()

    def stop(self) -> None:
        self._stopping.set()
        self._open.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                sock.close()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        self._open.wait()  # a connection made during the cut hangs, as in a partition
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            client.close()
            return
        with self._lock:
            self._sockets += [client, server]
        peers = {client: server, server: client}
        selector = selectors.DefaultSelector()
        for sock in peers:
            selector.register(sock, selectors.EVENT_READ)
        try:
            while not self._stopping.is_set():
                self._open.wait()  # cut: read nothing, so nothing goes through
                for key, _ in selector.select(timeout=0.1):
                    if not self._open.is_set():
                        break
                    source = key.fileobj
                    assert isinstance(source, socket.socket)
                    data = source.recv(65536)
                    if not data:
                        return
                    peers[source].sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            client.close()
            server.close()
