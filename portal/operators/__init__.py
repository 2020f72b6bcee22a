"""Operators: the firms that publish fee lists (terminals, lines, agents, forwarders, brokers ...)."""
