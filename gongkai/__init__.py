"""Gongkai（公开）: a 政府信息公开 platform and annual-report toolkit."""
