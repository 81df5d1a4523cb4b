"""automation"""
