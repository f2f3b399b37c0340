"""Customers' personal data: phones encrypted at rest, found through keyed indexes, masked by viewer,
revealed on request (audited), and uploaded lead files kept no longer than their import needs.

Every read or write of a customer's phone goes through this package: `phone_encrypt`,
`phone_decrypt`, `phone_index`, `phone_last4_index` (crypto), `phone_mask` (masking).
"""
