-- WhosOff's authenticate proves the client secret as SHA-512(nonce ++ client secret), so
-- Rota must read the secret back, not only its digest. It is sealed with the server's
-- secret key (see rota_core::sealing), bound to its client, when a client is created or
-- its secret regenerated; the previous one is kept sealed for the overlap window. NULL for
-- a secret issued before this migration or without a secret key: such a client must
-- regenerate its secret once to use WhosOff's authenticate.
ALTER TABLE api_clients ADD COLUMN sealed_secret TEXT;
ALTER TABLE api_clients ADD COLUMN previous_sealed_secret TEXT;
